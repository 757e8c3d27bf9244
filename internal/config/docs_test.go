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

var update = flag.Bool("update", false, "rewrite the configuration table in README.md")

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

// The README's configuration table is the one the code renders: every key, default and allowed value.
func TestREADMEDocumentsEveryKey(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	table := MarkdownTable()
	if *update {
		old := regexp.MustCompile("(?m)^\\| key \\| default \\| allowed \\|\n(\\|.*\n)*")
		if !old.Match(raw) {
			t.Fatal("README.md has no configuration table to replace")
		}
		raw = old.ReplaceAll(raw, []byte(table))
		if err := os.WriteFile("../../README.md", raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(string(raw), table) {
		t.Errorf("README.md does not contain the configuration table; refresh it with: go test ./internal/config/ -update\n%s", table)
	}
}
