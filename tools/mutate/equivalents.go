package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
)

// equivalents are survivors someone has read and explained: mutants that cannot change behaviour
// a test could observe (a buffer size, a check another check already covers). Each line of the
// file is
//
//	FILE :: MUTATION :: SOURCE LINE :: WHY
//
// where MUTATION is the report's "kind: change" text and SOURCE LINE the mutated line with its
// indentation trimmed, so an entry follows the code when lines move and lapses when it changes.
// Blank lines and lines starting with # are ignored.
type equivalents map[string]string

func equivalentKey(file, mutation, line string) string {
	return file + "\x00" + mutation + "\x00" + strings.TrimSpace(line)
}

func readEquivalents(path string) (equivalents, error) {
	out := equivalents{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) && path == "tools/mutate/equivalent.txt" {
		return out, nil // the default file is optional (running from another directory)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " :: ")
		if len(parts) != 4 || parts[3] == "" {
			return nil, fmt.Errorf("%s:%d: want FILE :: MUTATION :: SOURCE LINE :: WHY", path, n)
		}
		out[equivalentKey(parts[0], parts[1], parts[2])] = parts[3]
	}
	return out, sc.Err()
}

// explain returns why m is equivalent, if the file says so.
func (e equivalents) explain(m mutant) (string, bool) {
	src, err := os.ReadFile(m.file)
	if err != nil {
		return "", false
	}
	lines := strings.Split(string(src), "\n")
	if m.line < 1 || m.line > len(lines) {
		return "", false
	}
	why, ok := e[equivalentKey(m.file, m.kind+": "+m.desc, lines[m.line-1])]
	return why, ok
}
