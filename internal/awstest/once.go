// Package awstest holds what the local AWS fakes of the tests share. It is for tests only; no
// command links it.
package awstest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/encoding/cbor"
)

// InvocationHeader is the header aws-sdk-go-v2 sends with every attempt of one operation call;
// its value is the same on each retry of that call (aws/middleware ClientRequestID).
const InvocationHeader = "Amz-Sdk-Invocation-Id"

// OncePerCall wraps a fake AWS endpoint so that each SDK operation call reaches h once for
// every answer the SDK would retry on its own merits, and no more.
//
// The SDK retries an attempt whose response it could not read to the end, net.ErrClosed
// included (aws-sdk-go-v2 #2949). Go's transport can close a connection while the client is
// still draining a complete answer, so on a loaded machine a call AWS answered may be sent
// again. AWS itself would run it twice, but a fake that records what it was sent then counts
// one call twice, and a fake scripted to fail once answers the retry with success: the test
// fails, or passes, for a reason that is not the client's. So a retried attempt (same
// Amz-Sdk-Invocation-Id) of a call h has answered gets that answer again (status, headers and
// body) without reaching h — unless the answer is one the SDK retries anyway (a 500, 502, 503
// or 504 status, a 429 with no code or a code below, or a throttling or timeout error code of
// aws/retry's default lists): that retry reaches h, as throttling tests need.
//
// Nothing is replayed of an attempt h did not finish (a panic, such as http.ErrAbortHandler, or
// a hijacked connection), of one h left without a word because its client went, or of an answer
// over 8 MiB: the retry reaches h. A retry that arrives while the attempt it repeats is still
// in h waits for it (or for its own client to go). Every attempt must repeat the first one's
// method, URL and body: one that differs is a client bug, and gets a 400 AwstestRetryDiffers
// error without reaching h. A request without the header (not from the SDK) always reaches h.
//
// What this hides: against AWS, a call whose answer was lost runs twice, so a non-idempotent
// call (SNS Publish) can have its effect twice. Tests with this wrapper cannot see that.
func OncePerCall(h http.Handler) http.Handler {
	var mu sync.Mutex
	calls := map[string]*call{}
	first := map[string][32]byte{} // the first attempt's digest of every call
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(InvocationHeader)
		if id == "" {
			h.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			panic(http.ErrAbortHandler) // a body that cannot be read: no answer at all
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		digest := sha256.Sum256([]byte(r.Method + " " + r.URL.String() + "\n" + string(body)))
		mu.Lock()
		if d, ok := first[id]; ok && d != digest {
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"__type":"AwstestRetryDiffers","message":"awstest: attempt of invocation %s differs from its first attempt (method, URL or body)"}`, id)
			return
		}
		first[id] = digest
		mu.Unlock()
		for {
			mu.Lock()
			c := calls[id]
			if c == nil || c.finished() && c.answer == nil {
				c = &call{done: make(chan struct{})}
				calls[id] = c
				mu.Unlock()
				c.serve(h, w, r)
				return
			}
			mu.Unlock()
			select {
			case <-c.done:
			case <-r.Context().Done():
				return
			}
			if c.answer == nil {
				continue // the attempt it repeats left nothing to replay: this one goes to h
			}
			c.answer.replay(w)
			return
		}
	})
}

// call is one SDK operation call: done closes when its latest attempt has returned from the
// handler; answer is then the answer to replay to a retry, or nil.
type call struct {
	done   chan struct{}
	answer *recorded
}

func (c *call) finished() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// maxKept is the largest answer body kept for a replay.
const maxKept = 8 << 20

func (c *call) serve(h http.Handler, w http.ResponseWriter, r *http.Request) {
	defer close(c.done)
	rw := &recorder{w: w, rec: &recorded{}}
	h.ServeHTTP(rw, r) // a panic skips what follows: nothing is kept
	if rw.hijacked || rw.tooBig {
		return
	}
	if rw.rec.status == 0 {
		if r.Context().Err() != nil {
			return // the handler gave up because its client went: it answered nothing
		}
		rw.rec.status = http.StatusOK // net/http sends a 200 for a handler that wrote nothing
		rw.rec.header = rw.w.Header().Clone()
	}
	if !retriedAnyway(rw.rec, r.Header.Get("Smithy-Protocol")) {
		c.answer = rw.rec
	}
}

// retriedAnyway tells whether the SDK's standard retryer retries this answer on its own merits
// (aws/retry: DefaultRetryableHTTPStatusCodes; a 429 whose error is not modeled, taken here as
// one with no code or a code of the lists; DefaultRetryableErrorCodes; DefaultThrottleErrorCodes).
func retriedAnyway(a *recorded, smithyProtocol string) bool {
	if _, ok := retry.DefaultRetryableHTTPStatusCodes[a.status]; ok {
		return true
	}
	if a.status < 300 {
		return false
	}
	code := errorCode(a.header, a.body.Bytes(), smithyProtocol)
	_, retryable := retry.DefaultRetryableErrorCodes[code]
	_, throttle := retry.DefaultThrottleErrorCodes[code]
	return retryable || throttle || a.status == http.StatusTooManyRequests && code == ""
}

var xmlCode = regexp.MustCompile(`<Code>([^<]*)</Code>`)

// errorCode reads an error answer's code as aws-sdk-go-v2's deserializers do: the
// query-compatible X-Amzn-Query-Error header first; for RPC v2 CBOR (by the request's
// Smithy-Protocol header) the body's __type; for JSON the X-Amzn-ErrorType header, else the
// body's __type, else its code (field names matched as encoding/json does, ignoring case); for
// XML the <Code>. A code is cut at its first ':' and kept after its first '#' (smithy-go's
// SanitizeErrorCode).
func errorCode(h http.Header, body []byte, smithyProtocol string) string {
	sanitize := func(s string) string {
		s, _, _ = strings.Cut(s, ":")
		if _, after, ok := strings.Cut(s, "#"); ok {
			s = after
		}
		return s
	}
	if q := h.Get("X-Amzn-Query-Error"); q != "" {
		code, _, _ := strings.Cut(q, ";")
		return code
	}
	if smithyProtocol == "rpc-v2-cbor" {
		if v, err := cbor.Decode(body); err == nil {
			if m, ok := v.(cbor.Map); ok {
				if t, ok := m["__type"].(cbor.String); ok {
					return sanitize(string(t))
				}
			}
		}
		return ""
	}
	if t := h.Get("X-Amzn-Errortype"); t != "" {
		return sanitize(t)
	}
	var info struct {
		Type string `json:"__type"`
		Code any
	}
	if json.Unmarshal(body, &info) == nil {
		if info.Type != "" {
			return sanitize(info.Type)
		}
		if code, ok := info.Code.(string); ok {
			return sanitize(code)
		}
		return ""
	}
	if m := xmlCode.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

type recorded struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (r *recorded) replay(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = slices.Clone(v)
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

// recorder passes everything through to w and keeps a copy.
type recorder struct {
	w        http.ResponseWriter
	rec      *recorded
	hijacked bool
	tooBig   bool // the body passed maxKept: not kept
}

// Unwrap lets http.ResponseController reach the server's writer (deadlines, full duplex).
func (r *recorder) Unwrap() http.ResponseWriter { return r.w }

func (r *recorder) Header() http.Header { return r.w.Header() }

// WriteHeader keeps the first status and the headers as they are sent; net/http ignores a
// second call too.
func (r *recorder) WriteHeader(status int) {
	if r.rec.status != 0 {
		return
	}
	r.rec.status = status
	r.rec.header = r.w.Header().Clone()
	r.w.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	if r.rec.body.Len()+len(p) > maxKept {
		r.tooBig = true // what was kept goes with the recorder when the attempt ends
	}
	if !r.tooBig {
		r.rec.body.Write(p)
	}
	return r.w.Write(p)
}

func (r *recorder) Flush() {
	if f, ok := r.w.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.w.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("awstest: the response writer cannot hijack")
	}
	r.hijacked = true
	return h.Hijack()
}
