package test

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// cdk.json carries every recommended feature flag of the pinned aws-cdk-lib, with the recommended
// value, so `cdk synth` prints no "feature flags are not configured" notice and new projects get
// the library's current behaviour. Upgrading aws-cdk-go makes this test list the new flags.
func TestCDKJSONHasTheRecommendedFeatureFlags(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-cdk-go/awscdk/v2").Output()
	if err != nil {
		t.Fatal(err)
	}
	tarballs, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "jsii", "aws-cdk-lib-*.tgz"))
	if len(tarballs) != 1 {
		t.Fatalf("found %d aws-cdk-lib tarballs in the module, want 1", len(tarballs))
	}
	recommended := readTarJSON(t, tarballs[0], "package/recommended-feature-flags.json")
	ctx := cdkContext(t)
	for flag, want := range recommended {
		if got, ok := ctx[flag]; !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("cdk.json context %s = %v, want the recommended %v", flag, got, want)
		}
	}
}

func readTarJSON(t *testing.T, tarball, name string) map[string]any {
	t.Helper()
	f, err := os.Open(tarball)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			t.Fatalf("%s not in %s", name, tarball)
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == name {
			var m map[string]any
			if err := json.NewDecoder(tr).Decode(&m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
}
