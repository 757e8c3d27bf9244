package notify

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// record is one CloudTrail record, decoded loosely: only what the email shows is read, and a
// malformed or odd record still yields an entry (with what could be read).
type record struct {
	raw       map[string]any
	timestamp int64  // the log event's timestamp (ms), the order FilterLogEvents and the metric use
	eventID   string // CloudWatch Logs event ID, to order ties
	message   string
}

func decodeRecord(message string, timestamp int64, eventID string) record {
	r := record{timestamp: timestamp, eventID: eventID, message: message}
	d := json.NewDecoder(strings.NewReader(message))
	d.UseNumber()
	var m map[string]any
	if d.Decode(&m) == nil {
		r.raw = m
	}
	return r
}

// value returns the value at a dotted path.
func (r record) value(path string) (any, bool) {
	var cur any = r.raw
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, cur != nil
}

// str returns the value at path as text: strings as they are, anything else as compact JSON.
func (r record) str(path string) string {
	v, ok := r.value(path)
	if !ok {
		return ""
	}
	return textOf(v)
}

func textOf(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(v) // a value decoded from JSON always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// time is the event's eventTime, or the log event's timestamp when eventTime is unreadable.
func (r record) time() time.Time {
	if t, err := time.Parse(time.RFC3339, r.str("eventTime")); err == nil {
		return t.UTC()
	}
	return time.UnixMilli(r.timestamp).UTC()
}

// newer orders records newest first: by log event timestamp (the time CloudWatch Logs and the
// metric filter use), then by event ID, so the order never depends on the search's paging.
func newer(a, b record) bool {
	if a.timestamp != b.timestamp {
		return a.timestamp > b.timestamp
	}
	return a.eventID > b.eventID
}

// sessionName is the last part of an assumed-role ARN (arn:aws:sts::1:assumed-role/Role/session).
func sessionName(arn string) string {
	if strings.Contains(arn, ":assumed-role/") {
		return arn[strings.LastIndexByte(arn, '/')+1:]
	}
	return ""
}
