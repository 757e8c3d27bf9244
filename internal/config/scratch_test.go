package config

import (
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	for _, c := range []struct{ name, content string }{
		{"a.yaml", "alarms:" + goodEntry + "---\nalarms: []\n"},
		{"b.yaml", "alarms:" + goodEntry + "---\n"},
		{"c.json", `{"alarms": []} {"x": 1}`},
		{"d.json", `{"alarms": [{"id": "A", "Threshold": 1, "id": "B"}]}`},
		{"e.yaml", "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"},
		{"f.yaml", "alarms:\n  - {id: A, pattern: '{ $.a = 1 }', threshold: .inf, period: 1e400, description: {en: x}}\n"},
		{"g.yaml", "- {id: A, pattern: '{ $.a = 1 }', threshold: 1, period: 99999999999999999999999, description: \"x\\ny\"}\n"},
		{"h.yaml", "alarms:\n  - {id: A, pattern: '{ $.a = 1 }', threshold: 1, description: [x]}\n"},
		{"i.yaml", "alarms: 2026-02-31\n"},
		{"j.yaml", "alarms:\n  - {id: A, pattern: '{ $.a = 1 }', threshold: 1, period: 300.5, description: x, alarmName: !!binary aGVsbG8=}\n"},
		{"k.yaml", "alarms:\n  - {id: A, id: B}\n"},
	} {
		path := t.TempDir() + "/" + c.name
		os.WriteFile(path, []byte(c.content), 0o644)
		_, err := parseWith(t, map[string]any{"alarmsFile": path})
		t.Logf("%s: %v", c.name, err)
	}
	for _, p := range []string{"/dev/zero", "/tmp"} {
		_, err := parseWith(t, map[string]any{"alarmsFile": p})
		t.Logf("%s: %v", p, err)
	}
}
