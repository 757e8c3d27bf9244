package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
	File     string `json:"file,omitempty"`
	Line     int    `json:"line"`
	LastLine int    `json:"last_line,omitempty"` // a skip that covers several lines ends here
	Index    int    `json:"index,omitempty"`
	Error    string `json:"error"`
}

func (rw *resultWriter) result(at cloudtrail.Location, eventName string, alarms []string) {
	if rw.jsonl {
		if alarms == nil {
			alarms = []string{}
		}
		rw.json(matchLine{File: rw.fileName(), Line: at.Line, Index: at.Index, EventName: eventName, Alarms: alarms})
		return
	}
	name := printable(eventName)
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
		rw.json(errorLine{File: rw.fileName(), Line: at.Line, LastLine: at.LastLine, Index: at.Index, Error: msg})
		return
	}
	rw.printf("%s error: %s\n", rw.where(at), printable(msg))
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
	file := printable(rw.file)
	switch {
	case rw.named && at.Line > 0:
		s = fmt.Sprintf("%s:%d", file, at.Line)
	case rw.named:
		s = file
	case at.Line > 0:
		s = fmt.Sprintf("line %d", at.Line)
	default:
		s = "input" // a problem with the whole input, such as a broken gzip header
	}
	if at.LastLine > at.Line && at.Line > 0 {
		s += fmt.Sprintf("-%d", at.LastLine)
	}
	if at.Index > 0 {
		s += fmt.Sprintf(" #%d", at.Index)
	}
	return s + ":"
}

// json writes v, a matchLine or an errorLine, as one line. They hold only strings (invalid UTF-8
// is replaced, not refused) and ints, so Marshal cannot fail.
func (rw *resultWriter) json(v any) {
	b, _ := json.Marshal(v)
	rw.printf("%s\n", b)
}

func (rw *resultWriter) printf(format string, args ...any) {
	if rw.err == nil {
		_, rw.err = fmt.Fprintf(rw.w, format, args...)
	}
}

// printable escapes, Go-style, what a terminal would act on rather than show: control characters
// (newlines, ESC), Unicode format characters (bidi overrides) and line separators, and bytes that
// are not UTF-8. Text and table output pass every string from the input through it, so a record
// cannot forge a line of output or send escape sequences.
func printable(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
