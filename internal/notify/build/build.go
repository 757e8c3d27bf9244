// Package build compiles the alarm-email function into the bootstrap binary Lambda runs, the
// same bytes from the same source on any machine, so the CDK asset hash only changes when the
// code does.
package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Target of the function: Lambda's provided.al2023 runtime on x86_64 (see docs/notifications.md
// for why not arm64).
const (
	GOOS   = "linux"
	GOARCH = "amd64"
	// GOAMD64 is fixed: the default (v1) runs on every x86_64 Lambda host, and a developer's
	// GOAMD64 setting must not change the bytes.
	GOAMD64 = "v1"
	// Package is the function's main package, relative to the module root.
	Package = "./cmd/trailwatch-notify"
)

// Flags are the go build flags: no paths of the building machine (-trimpath), no VCS stamp
// (-buildvcs=false: a dirty tree or another checkout would change the bytes), no symbol tables or
// DWARF (-s -w: smaller, and Lambda never reads them), and an empty build ID (it hashes inputs
// that include the toolchain's own build ID, not only the source).
var Flags = []string{"build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid="}

// Bootstrap builds the function in the module rooted at moduleDir into outDir/bootstrap and
// returns that path. extraEnv (KEY=value) is added last, for tests (GOCACHE).
func Bootstrap(ctx context.Context, moduleDir, outDir string, extraEnv ...string) (string, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", err
	}
	out := filepath.Join(outDir, "bootstrap")
	args := append(append([]string{}, Flags...), "-o", out, Package)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = moduleDir
	cmd.Env = append(Env(os.Environ()), extraEnv...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the notification function: go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// Env is environ with every variable that changes the output fixed: target, cgo off, and no
// inherited GOFLAGS or GOEXPERIMENT.
func Env(environ []string) []string {
	fixed := map[string]string{
		"CGO_ENABLED":  "0",
		"GOOS":         GOOS,
		"GOARCH":       GOARCH,
		"GOAMD64":      GOAMD64,
		"GOFLAGS":      "",
		"GOEXPERIMENT": "",
	}
	var env []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := fixed[k]; !ok {
			env = append(env, kv)
		}
	}
	for _, k := range []string{"CGO_ENABLED", "GOOS", "GOARCH", "GOAMD64", "GOFLAGS", "GOEXPERIMENT"} {
		env = append(env, k+"="+fixed[k])
	}
	return env
}
