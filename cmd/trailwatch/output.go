package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
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
	EventName string   `json:"eventName"`
	Alarms    []string `json:"alarms"`
}

type errorLine struct {
	File  string `json:"file,omitempty"`
	Line  int    `json:"line"`
	Error string `json:"error"`
}

func (rw *resultWriter) result(line int, eventName string, alarms []string) {
	if rw.jsonl {
		if alarms == nil {
			alarms = []string{}
		}
		rw.json(matchLine{File: rw.fileName(), Line: line, EventName: eventName, Alarms: alarms})
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
	rw.printf("%s %s: %s\n", rw.where(line), name, list)
}

func (rw *resultWriter) error(line int, err error) {
	if rw.jsonl {
		rw.json(errorLine{File: rw.fileName(), Line: line, Error: err.Error()})
		return
	}
	rw.printf("%s error: %v\n", rw.where(line), err)
}

// fileName is the input's name for JSON lines, or "" (omitted) when there is only one input.
func (rw *resultWriter) fileName() string {
	if rw.named {
		return rw.file
	}
	return ""
}

func (rw *resultWriter) where(line int) string {
	if rw.named {
		return fmt.Sprintf("%s:%d:", rw.file, line)
	}
	return fmt.Sprintf("line %d:", line)
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
