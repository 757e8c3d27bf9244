package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const moduleDir = "../../.."

// TestBootstrapIsReproducible: the same source gives the same bytes from another checkout path,
// so the CDK asset hash depends on the source only. With TRAILWATCH_REPRO_EMPTY_CACHE=1 the second
// build also starts from an empty build cache, as on a new machine (minutes on two cores: the SDK is
// compiled from scratch).
func TestBootstrapIsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the function twice")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	first, err := Bootstrap(ctx, moduleDir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	copyDir := filepath.Join(t.TempDir(), "elsewhere", "trailwatch")
	copySources(t, copyDir)
	var extra []string
	if os.Getenv("TRAILWATCH_REPRO_EMPTY_CACHE") == "1" {
		extra = append(extra, "GOCACHE="+t.TempDir())
	}
	second, err := Bootstrap(ctx, copyDir, t.TempDir(), extra...)
	if err != nil {
		t.Fatal(err)
	}
	a, b := read(t, first), read(t, second)
	if !bytes.Equal(a, b) {
		t.Fatalf("two builds differ: %x (%d bytes) vs %x (%d bytes)", sha256.Sum256(a), len(a), sha256.Sum256(b), len(b))
	}
	t.Logf("bootstrap: %d bytes, sha256 %x", len(a), sha256.Sum256(a))
}

// TestBootstrapTarget: the binary is what provided.al2023 on x86_64 runs: a static 64-bit
// little-endian x86-64 Linux executable named bootstrap, with no paths of this machine in it.
func TestBootstrapTarget(t *testing.T) {
	bin, err := Bootstrap(context.Background(), moduleDir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(bin) != "bootstrap" {
		t.Errorf("binary is %s, want bootstrap", bin)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("not an ELF file: %v", err)
	}
	defer f.Close()
	if f.Machine != elf.EM_X86_64 || f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB || f.Type != elf.ET_EXEC {
		t.Errorf("ELF %v %v %v %v, want EM_X86_64 ELFCLASS64 ELFDATA2LSB ET_EXEC", f.Machine, f.Class, f.Data, f.Type)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("binary has a dynamic loader (PT_INTERP): cgo was on")
		}
	}
	if s := f.Section(".symtab"); s != nil {
		t.Error("binary has a symbol table: -s was not applied")
	}
	abs, _ := filepath.Abs(moduleDir)
	if bytes.Contains(read(t, bin), []byte(abs)) {
		t.Errorf("binary contains the checkout path %s: -trimpath was not applied", abs)
	}
}

func TestEnvFixesTheTarget(t *testing.T) {
	env := Env([]string{"GOOS=windows", "GOARCH=arm64", "CGO_ENABLED=1", "GOFLAGS=-race", "GOAMD64=v3", "HOME=/root"})
	want := []string{"HOME=/root", "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GOAMD64=v1", "GOFLAGS=", "GOEXPERIMENT="}
	if strings.Join(env, " ") != strings.Join(want, " ") {
		t.Errorf("Env = %q, want %q", env, want)
	}
}

func TestBuildErrorSaysWhat(t *testing.T) {
	_, err := Bootstrap(context.Background(), t.TempDir(), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "building the notification function: go build -trimpath -buildvcs=false -ldflags=-s -w -buildid= -o ") {
		t.Errorf("error %v", err)
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// copySources copies go.mod, go.sum and the module's own packages the function imports.
func copySources(t *testing.T, to string) {
	t.Helper()
	list := exec.Command("go", "list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}", Package)
	list.Dir = moduleDir
	list.Env = Env(os.Environ())
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, _ := filepath.Abs(moduleDir)
	for _, dir := range append(strings.Fields(string(out)), root) {
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !(strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") || rel == "." && (name == "go.mod" || name == "go.sum")) {
				continue
			}
			if rel == "." && strings.HasSuffix(name, ".go") {
				continue // package main of the CDK app: not a dependency of the function
			}
			if err := os.MkdirAll(filepath.Join(to, rel), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(to, rel, name), read(t, filepath.Join(dir, name)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
