package lineio

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func readAll(t *testing.T, r io.Reader) []string {
	t.Helper()
	lr := NewReader(r)
	var out []string
	for want := 1; ; want++ {
		line, n, err := lr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("line number %d, want %d", n, want)
		}
		out = append(out, string(line))
	}
}

func TestLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\n", []string{"a"}},
		{"a\nb", []string{"a", "b"}},
		{"a\r\nb\r\n", []string{"a", "b"}},
		{"\n\n", []string{"", ""}},
		{"a\rb\n", []string{"a\rb"}},
	}
	for _, tt := range tests {
		got := readAll(t, strings.NewReader(tt.in))
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLongLines reads lines far beyond bufio.Scanner's 64 KB default, one byte at a time too.
func TestLongLines(t *testing.T) {
	long1 := strings.Repeat("x", 300<<10)
	long2 := strings.Repeat("y", 64<<10) // exactly the buffer size
	in := long1 + "\nshort\n" + long2 + "\n" + long1
	for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
		got := readAll(t, r)
		if len(got) != 4 || got[0] != long1 || got[1] != "short" || got[2] != long2 || got[3] != long1 {
			t.Errorf("long lines came back wrong: %d lines", len(got))
		}
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("boom")
	lr := NewReader(io.MultiReader(strings.NewReader("ok\n"), iotest.ErrReader(boom)))
	if line, _, err := lr.Next(); err != nil || !bytes.Equal(line, []byte("ok")) {
		t.Fatalf("first line: %q %v", line, err)
	}
	if _, _, err := lr.Next(); !errors.Is(err, boom) {
		t.Fatalf("want the reader's error, got %v", err)
	}
}
