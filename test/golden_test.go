package test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// canonical renders a template the way goldens are stored: without the bootstrap check and CDK
// metadata (they change with the CLI, not with us), asset hashes masked, keys sorted, two-space
// indent, no HTML escaping, final newline.
func canonical(t testing.TB, template map[string]any) []byte {
	t.Helper()
	var tmpl map[string]any
	roundTrip(t, template, &tmpl)
	if params, ok := tmpl["Parameters"].(map[string]any); ok {
		delete(params, "BootstrapVersion")
		if len(params) == 0 {
			delete(tmpl, "Parameters")
		}
	}
	if rules, ok := tmpl["Rules"].(map[string]any); ok {
		delete(rules, "CheckBootstrapVersion")
		if len(rules) == 0 {
			delete(tmpl, "Rules")
		}
	}
	if res, ok := tmpl["Resources"].(map[string]any); ok {
		delete(res, "CDKMetadata")
		// A StackSet's member template is one long JSON string; show it as JSON so its diff reads.
		for _, r := range res {
			p, _ := r.(map[string]any)["Properties"].(map[string]any)
			if body, ok := p["TemplateBody"].(string); ok {
				var parsed any
				if json.Unmarshal([]byte(body), &parsed) == nil {
					delete(p, "TemplateBody")
					p["TemplateBody (parsed by the golden test)"] = parsed
				}
			}
		}
	}
	if conds, ok := tmpl["Conditions"].(map[string]any); ok {
		delete(conds, "CDKMetadataAvailable")
		if len(conds) == 0 {
			delete(tmpl, "Conditions")
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(tmpl); err != nil {
		t.Fatal(err)
	}
	return assetHash.ReplaceAll(buf.Bytes(), []byte("<asset-hash>"))
}

var assetHash = regexp.MustCompile(`[0-9a-f]{64}`)

func roundTrip(t testing.TB, in, out any) {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
}

// TestGoldens compares every golden variant of variantTable with its snapshot. Refresh one after
// an intended change with `go test ./test/ -run 'TestGoldens/^cis$' -update`, all with
// `go test ./test/ -run TestGoldens -update`.
func TestGoldens(t *testing.T) {
	for _, v := range variantTable {
		if v.golden {
			t.Run(v.name, func(t *testing.T) { golden(t, v.name, v.fixture(t)) })
		}
	}
}

// Every snapshot in testdata/ belongs to a golden row of variantTable, so none goes stale unseen.
func TestEveryGoldenHasAVariant(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, v := range variantTable {
		if v.golden {
			want[v.name] = true
		}
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".template.json")
		if !want[name] {
			t.Errorf("%s has no golden row in variantTable", f)
		}
		delete(want, name)
	}
	for name := range want {
		t.Errorf("variant %s is golden but testdata/%s.template.json does not exist; create it with: go test ./test/ -run 'TestGoldens/^%s$' -update", name, name, name)
	}
}

// golden compares a fixture's template with testdata/NAME.template.json, semantically, and
// rewrites the file under -update when it differs.
func golden(t *testing.T, name string, f *fixture) {
	t.Helper()
	goldenFile(t, filepath.Join("testdata", name+".template.json"), "TestGoldens/^"+name+"$", f)
}

// goldenFile compares a fixture's template with the golden at path; run names the test that
// rewrites it under -update.
func goldenFile(t *testing.T, path, run string, f *fixture) {
	t.Helper()
	got := canonical(t, f.json)
	if *update {
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, got) {
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; create it with: go test ./test/ -run '%s' -update", err, run)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s is not JSON: %v", path, err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("%s differs from the synthesized template (-golden +synth):\n%s\n"+
			"If the change is intended, review it like a cdk diff and run: go test ./test/ -run '%s' -update", path, diff, run)
	}
}

// The canonical form must not depend on map order or HTML escaping.
func TestCanonicalIsStable(t *testing.T) {
	in := map[string]any{"b": "<&>", "a": map[string]any{"z": 1, "y": []any{"x"}},
		"Parameters": map[string]any{"BootstrapVersion": map[string]any{}},
		"Resources":  map[string]any{"CDKMetadata": map[string]any{}, "R": map[string]any{"Type": "AWS::S3::Bucket"}}}
	want := "{\n  \"Resources\": {\n    \"R\": {\n      \"Type\": \"AWS::S3::Bucket\"\n    }\n  },\n  \"a\": {\n    \"y\": [\n      \"x\"\n    ],\n    \"z\": 1\n  },\n  \"b\": \"<&>\"\n}\n"
	if got := string(canonical(t, in)); got != want {
		t.Errorf("canonical:\n%s\nwant:\n%s", got, want)
	}
}
