package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// The bar is drawn from 64 MiB of input on (docs/cli.md), and clear blanks the 79 columns it
// may use.
func TestProgressBarOnlyForLargeInput(t *testing.T) {
	var b bytes.Buffer
	p := &progressBar{w: &b}
	p.update(1<<20, 64<<20-1)
	p.clear()
	if b.Len() != 0 {
		t.Errorf("drew %q for input of 64 MiB less a byte", b.String())
	}
	p.update(32<<20, 64<<20)
	if want := "\r[===============               ]  50% 32.0 MiB / 64.0 MiB  "; !strings.HasPrefix(b.String(), want) || !strings.HasSuffix(b.String(), " MiB/s ") {
		t.Errorf("bar = %q, want %q then the rate in MiB/s", b.String(), want)
	}
	b.Reset()
	p.clear()
	if want := "\r" + strings.Repeat(" ", 79) + "\r"; b.String() != want {
		t.Errorf("clear wrote %q, want %q", b.String(), want)
	}
	// More read than the total (a file that grew) stays at a full bar.
	b.Reset()
	p.update(100<<20, 64<<20)
	if want := "\r[==============================] 100% 100.0 MiB / 64.0 MiB  "; !strings.HasPrefix(b.String(), want) {
		t.Errorf("bar = %q, want %q", b.String(), want)
	}
}

func TestSizeUnits(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1<<20 - 1: "1024.0 KiB", 1 << 20: "1.0 MiB",
		3 << 28: "768.0 MiB", 1 << 30: "1.00 GiB", 5<<30 + 1<<29: "5.50 GiB"} {
		if got := size(n); got != want {
			t.Errorf("size(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestQuietWhenStderrIsNotATerminal(t *testing.T) {
	big := bigInput(t)
	code, _, errs := replayCmd(t, "", big)
	if code != cli.ExitOK || errs != "" {
		t.Errorf("exit %d, stderr %q; want 0 and nothing", code, errs)
	}
}

// On a terminal, a replay of 64 MiB draws the bar and blanks it before the report; a small
// replay draws nothing.
func TestProgressBarOnATerminal(t *testing.T) {
	replayOnTerminal := func(input string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run([]string{"replay", input}, &cli.Stdio{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, StderrIsTerminal: true})
		return code, out.String(), errOut.String()
	}
	code, out, errs := replayOnTerminal(bigInput(t))
	clear := "\r" + strings.Repeat(" ", 79) + "\r"
	if code != cli.ExitOK || !strings.HasPrefix(errs, "\r[") || !strings.Contains(errs, "100% 64.0 MiB / 64.0 MiB") || !strings.HasSuffix(errs, clear) || out == "" {
		t.Errorf("64 MiB on a terminal: exit %d, stderr %q, stdout %d bytes; want the bar ending at 100%% and cleared", code, errs, len(out))
	}
	code, _, errs = replayOnTerminal(filepath.Join("testdata", "input", "lookup-events.json"))
	if code != cli.ExitOK || errs != "" {
		t.Errorf("small input on a terminal: exit %d, stderr %q; want no bar", code, errs)
	}
}

// bigInput is 64 MiB of blank lines: the smallest input that gets a bar, quick to read.
func bigInput(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "blank.jsonl")
	if err := os.WriteFile(p, bytes.Repeat([]byte("\n"), 64<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
