package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Every entry of equivalent.txt names a mutant the tool makes today: an entry whose line changed
// or whose code is gone would only hide nothing and mislead the reader, so it must be removed
// (or rewritten for the new line) in the change that made it stale.
func TestEveryEquivalentNamesALiveMutant(t *testing.T) {
	root := filepath.Join("..", "..")
	equiv, err := readEquivalents(filepath.Join(root, "tools", "mutate", "equivalent.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(equiv) < 20 {
		t.Fatalf("%d entries read; the reader is broken", len(equiv))
	}
	dirs := map[string]bool{}
	for key := range equiv {
		file, _, _ := strings.Cut(key, "\x00")
		dirs[filepath.Dir(file)] = true
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(root); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	live := map[string]bool{}
	for dir := range dirs {
		ms, err := packageMutants(dir)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, m := range ms {
			src, err := os.ReadFile(m.file)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(src), "\n")
			live[equivalentKey(m.file, m.kind+": "+m.desc, lines[m.line-1])] = true
		}
	}
	var stale []string
	for key := range equiv {
		if !live[key] {
			stale = append(stale, strings.ReplaceAll(key, "\x00", " :: "))
		}
	}
	sort.Strings(stale)
	for _, s := range stale {
		t.Errorf("no such mutant today: %s", s)
	}
}
