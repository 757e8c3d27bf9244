package config

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the configuration table in docs/configuration.md")

// cdk.json carries every default, so `cdk synth` users see them; it must agree with the code.
func TestCDKJSONCarriesTheDefaults(t *testing.T) {
	raw, err := os.ReadFile("../../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		App     string         `json:"app"`
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.App != "go mod download && go run ." {
		t.Errorf("cdk.json app = %q, want %q", doc.App, "go mod download && go run .")
	}
	for name, want := range Defaults() {
		if got, ok := doc.Context[name]; !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("cdk.json context %s = %#v, want the code's default %#v", name, got, want)
		}
	}
	// Every other key is a CDK feature flag ("@aws-cdk/core:…": has ':' or starts with '@'); a
	// key that is neither is stale (renamed or removed in the code) and would be silently ignored.
	known := map[string]bool{}
	for _, name := range KeyNames() {
		known[name] = true
	}
	for name := range doc.Context {
		if !known[name] && !isFeatureFlag(name) {
			t.Errorf("cdk.json context %s is neither a trailwatch key nor a CDK feature flag; remove it, or declare it in internal/config/keys.go", name)
		}
	}
	// The required key is there (empty) so users see where to put it.
	if got, ok := doc.Context["notificationEmails"]; !ok || got != "" {
		t.Errorf("cdk.json context notificationEmails = %#v, want \"\" (required, set with -c)", got)
	}
	// cdk.json's own context must parse once the required key is given.
	doc.Context["notificationEmails"] = "ops@example.com"
	if _, err := Parse(doc.Context, func(string) string { return "" }); err != nil {
		t.Errorf("cdk.json context does not parse: %v", err)
	}
}

// docs/configuration.md carries the configuration table the code renders, between its markers:
// every key, default and allowed value.
func TestDocsDocumentEveryKey(t *testing.T) {
	const path = "../../docs/configuration.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "<!-- BEGIN GENERATED KEYS -->\n" + MarkdownTable() + "<!-- END GENERATED KEYS -->"
	if *update {
		old := regexp.MustCompile("(?s)<!-- BEGIN GENERATED KEYS -->\n.*?<!-- END GENERATED KEYS -->")
		if !old.Match(raw) {
			t.Fatalf("%s has no <!-- BEGIN GENERATED KEYS --> ... <!-- END GENERATED KEYS --> block to replace", path)
		}
		raw = old.ReplaceAllLiteral(raw, []byte(want))
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(string(raw), want) {
		t.Errorf("%s does not contain the configuration table between its markers; refresh it with: go test ./internal/config/ -run TestDocsDocumentEveryKey -update\n%s", path, want)
	}
}

// isFeatureFlag reports whether a cdk.json context key is the CDK's rather than trailwatch's:
// feature flags are "@aws-cdk/<module>:<flag>".
func isFeatureFlag(name string) bool {
	return strings.HasPrefix(name, "@") || strings.Contains(name, ":")
}
