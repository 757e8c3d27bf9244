package stacks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The app builds the function from the checkout it runs in; from anywhere else it says so and
// what to do, instead of building some other module.
func TestModuleRootNamesTheModule(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "trailwatch-notify", "main.go")); err != nil {
		t.Errorf("moduleRoot() = %s, which has no cmd/trailwatch-notify: %v", root, err)
	}

	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/other\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(other, "pkg")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	_, err = moduleRoot()
	if err == nil || !strings.Contains(err.Error(), "no go.mod of module github.com/trailwatch/trailwatch at or above "+sub) {
		t.Errorf("moduleRoot() in another module: %v", err)
	}
}
