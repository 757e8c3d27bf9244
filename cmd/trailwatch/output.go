package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// resultWriter prints match results as text or JSON lines. It keeps the first write error.
type resultWriter struct {
	w     io.Writer
	jsonl bool
	named bool   // several inputs: say which file a line is from
	file  string // current input
	err   error
}

// matchLine and errorLine are the two shapes of a --format jsonl line. Alarms is never nil, so it
// encodes as [] rather than null.
type matchLine struct {
	File      string   `json:"file,omitempty"`
	Line      int      `json:"line"`
	Index     int      `json:"index,omitempty"`
	EventName string   `json:"eventName"`
	Alarms    []string `json:"alarms"`
}

type errorLine struct {
	File  string `json:"file,omitempty"`
	Line  int    `json:"line"`
	Index int    `json:"index,omitempty"`
	Error string `json:"error"`
}

func (rw *resultWriter) result(at cloudtrail.Location, eventName string, alarms []string) {
	if rw.jsonl {
		if alarms == nil {
			alarms = []string{}
		}
		rw.json(matchLine{File: rw.fileName(), Line: at.Line, Index: at.Index, EventName: eventName, Alarms: alarms})
		return
	}
	name := eventName
	if name == "" {
		name = "(no eventName)"
	}
	list := "none"
	if len(alarms) > 0 {
		list = strings.Join(alarms, ", ")
	}
	rw.printf("%s %s: %s\n", rw.where(at), name, list)
}

func (rw *resultWriter) error(at cloudtrail.Location, msg string) {
	if rw.jsonl {
		rw.json(errorLine{File: rw.fileName(), Line: at.Line, Index: at.Index, Error: msg})
		return
	}
	rw.printf("%s error: %s\n", rw.where(at), msg)
}

// fileName is the input's name for JSON lines, or "" (omitted) when there is only one input.
func (rw *resultWriter) fileName() string {
	if rw.named {
		return rw.file
	}
	return ""
}

// where is "line 3:" or, with several inputs, "file:3:"; a record inside an array adds its
// position: "line 1 #3:".
func (rw *resultWriter) where(at cloudtrail.Location) string {
	var s string
	switch {
	case rw.named && at.Line > 0:
		s = fmt.Sprintf("%s:%d", rw.file, at.Line)
	case rw.named:
		s = rw.file
	case at.Line > 0:
		s = fmt.Sprintf("line %d", at.Line)
	default:
		s = "input" // a problem with the whole input, such as a broken gzip header
	}
	if at.Index > 0 {
		s += fmt.Sprintf(" #%d", at.Index)
	}
	return s + ":"
}

func (rw *resultWriter) json(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		rw.err = err
		return
	}
	rw.printf("%s\n", b)
}

func (rw *resultWriter) printf(format string, args ...any) {
	if rw.err == nil {
		_, rw.err = fmt.Fprintf(rw.w, format, args...)
	}
}
