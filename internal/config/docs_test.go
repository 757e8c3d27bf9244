package config

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the key table in docs/configuration.md")

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

// The configuration reference's key table is the one the code renders: every key, default and
// allowed value, between the markers.
func TestDocsListEveryKey(t *testing.T) {
	const doc = "../../docs/configuration.md"
	raw, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := beginKeys + "\n" + MarkdownTable() + endKeys
	if *update {
		begin, end := strings.Index(string(raw), beginKeys), strings.Index(string(raw), endKeys)
		if begin < 0 || end < begin {
			t.Fatalf("%s has no %s ... %s lines to replace", doc, beginKeys, endKeys)
		}
		raw = []byte(string(raw[:begin]) + want + string(raw[end+len(endKeys):]))
		if err := os.WriteFile(doc, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(string(raw), want) {
		t.Errorf("%s does not carry the key table between its markers; refresh it with: go test ./internal/config/ -run TestDocsListEveryKey -update\n%s", doc, want)
	}
}

const (
	beginKeys = "<!-- BEGIN GENERATED KEYS -->"
	endKeys   = "<!-- END GENERATED KEYS -->"
)
