package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressBarOnlyForLargeInput(t *testing.T) {
	var b bytes.Buffer
	p := &progressBar{w: &b}
	p.update(1<<20, progressMin-1)
	p.clear()
	if b.Len() != 0 {
		t.Errorf("drew %q for input under %d bytes", b.String(), progressMin)
	}
	p.update(progressMin/2, progressMin)
	if !strings.Contains(b.String(), " 50% ") {
		t.Errorf("bar = %q, want 50%%", b.String())
	}
	p.clear()
	if !strings.HasSuffix(b.String(), "\r") {
		t.Errorf("clear left %q", b.String())
	}
}

func TestQuietWhenStderrIsNotATerminal(t *testing.T) {
	_, _, errs := replayCmd(t, "", "testdata/input/lookup-events.json")
	if errs != "" {
		t.Errorf("stderr = %q, want nothing", errs)
	}
}
