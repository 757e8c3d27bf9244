package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// printable passes printable ASCII and UTF-8 text through unchanged and escapes, Go-style, what a
// terminal would act on: the bytes either side of the printable ASCII range, bytes that are not
// UTF-8, control, format (bidi) and line/paragraph separator characters.
func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		" plain ~text!":    " plain ~text!",
		"\x1f":             `\x1f`,
		"a\x7fb":           `a\x7fb`,
		"tab\there\n":      `tab\there\n`,
		"\x00":             `\x00`,
		"caf\u00e9 \u4e16": "caf\u00e9 \u4e16", // printable non-ASCII stays
		"\xff":             `\xff`,
		"\ufffd\x01":       "\ufffd" + `\x01`, // a real U+FFFD is text, not a bad byte
		"ok\xc3(":          `ok\xc3(`,         // a broken two-byte sequence: one bad byte, then text
		"\xe2\x82":         `\xe2\x82`,
		"\u202eevil":       `\u202eevil`,
		"a\u2028b\u2029c":  `a\u2028b\u2029c`,
		"\u0085\u009b":     `\u0085\u009b`,
		"\u00e9\x1b[2J":    "\u00e9" + `\x1b[2J`,
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// Text results: the event name (or "(no eventName)") and the alarms, or "none"; errors are
// escaped; with several inputs the file is named. JSON lines carry alarms as [] rather than null.
func TestResultWriterLines(t *testing.T) {
	var b bytes.Buffer
	rw := &resultWriter{w: &b, file: "in.jsonl"}
	rw.result(cloudtrail.Location{Line: 1}, "CreateVpc", []string{"VpcChanges", "pattern"})
	rw.result(cloudtrail.Location{Line: 2}, "", nil)
	rw.result(cloudtrail.Location{Line: 3, Index: 2}, "Stop\x1b", []string{})
	rw.error(cloudtrail.Location{Line: 4, LastLine: 6}, "bad\nvalue")
	rw.named = true
	rw.result(cloudtrail.Location{Line: 7}, "X", nil)
	rw.error(cloudtrail.Location{}, "unexpected EOF")
	want := "line 1: CreateVpc: VpcChanges, pattern\n" +
		"line 2: (no eventName): none\n" +
		`line 3 #2: Stop\x1b: none` + "\n" +
		`line 4-6: error: bad\nvalue` + "\n" +
		"in.jsonl:7: X: none\n" +
		"in.jsonl: error: unexpected EOF\n"
	if got := b.String(); got != want || rw.err != nil {
		t.Errorf("text lines (err %v):\n%s\nwant:\n%s", rw.err, got, want)
	}

	b.Reset()
	rw = &resultWriter{w: &b, jsonl: true, file: "in.jsonl"}
	rw.result(cloudtrail.Location{Line: 1}, "CreateVpc", nil)
	rw.error(cloudtrail.Location{Line: 2, LastLine: 3, Index: 4}, "bad\x1b")
	rw.named = true
	rw.result(cloudtrail.Location{Line: 5, Index: 1}, "", []string{"A"})
	want = `{"line":1,"eventName":"CreateVpc","alarms":[]}` + "\n" +
		`{"line":2,"last_line":3,"index":4,"error":"bad\u001b"}` + "\n" +
		`{"file":"in.jsonl","line":5,"index":1,"eventName":"","alarms":["A"]}` + "\n"
	if got := b.String(); got != want || rw.err != nil {
		t.Errorf("JSON lines (err %v):\n%s\nwant:\n%s", rw.err, got, want)
	}
}

type countingFailWriter struct{ n int }

func (f *countingFailWriter) Write(p []byte) (int, error) {
	f.n++
	return 0, errors.New("disk full")
}

// After the first write error nothing more is written, and the first error is kept.
func TestResultWriterKeepsTheFirstError(t *testing.T) {
	fw := &countingFailWriter{}
	rw := &resultWriter{w: fw}
	rw.result(cloudtrail.Location{Line: 1}, "A", nil)
	rw.error(cloudtrail.Location{Line: 2}, "x")
	if fw.n != 1 || rw.err == nil || rw.err.Error() != "disk full" {
		t.Errorf("%d writes, err %v; want 1 write and disk full", fw.n, rw.err)
	}
}

// The progress bar is drawn from 64 MiB of input on, never below.
func TestProgressBarThreshold(t *testing.T) {
	var b bytes.Buffer
	p := &progressBar{w: &b}
	p.update(0, 64<<20-1)
	if b.Len() != 0 || p.drawn || !p.start.IsZero() {
		t.Errorf("drew %q for 64 MiB less a byte", b.String())
	}
	p.update(0, 64<<20)
	if want := "\r[" + strings.Repeat(" ", 30) + "]   0% 0 B / 64.0 MiB  0 MiB/s "; b.String() != want {
		t.Errorf("bar %q, want %q", b.String(), want)
	}
	if p.start.IsZero() {
		t.Error("the first drawn update did not start the bar's clock")
	}
}

// The bar shows the fraction done in 30 cells and as a percentage, capped at 100% (compressed
// inputs can read more than their size), the sizes, and the rate since the first update.
func TestProgressBarLine(t *testing.T) {
	var b bytes.Buffer
	p := &progressBar{w: &b, start: time.Now().Add(-100 * time.Second)}
	p.update(1<<30, 2<<30) // 1024 MiB in just over 100 s
	want := "\r[===============               ]  50% 1.00 GiB / 2.00 GiB  10 MiB/s "
	if b.String() != want {
		t.Errorf("bar %q, want %q", b.String(), want)
	}
	b.Reset()
	p.start = time.Now().Add(-1000 * time.Second)
	p.update(3<<30, 2<<30) // 3072 MiB in just over 1000 s
	want = "\r[==============================] 100% 3.00 GiB / 2.00 GiB  3 MiB/s "
	if b.String() != want {
		t.Errorf("bar %q, want %q", b.String(), want)
	}
	b.Reset()
	p.clear()
	if want := "\r" + strings.Repeat(" ", 79) + "\r"; b.String() != want {
		t.Errorf("clear wrote %q, want %q", b.String(), want)
	}
}

// isTerminal is true only for a character device: not for a regular file, a pipe or a closed
// file.
func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	if isTerminal(f) {
		t.Error("a regular file is a terminal")
	}
	f.Close()
	if isTerminal(f) {
		t.Error("a closed file is a terminal")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(r) {
		t.Error("a pipe is a terminal")
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if !isTerminal(null) {
		t.Errorf("%s, a character device, is not one", os.DevNull)
	}
}
