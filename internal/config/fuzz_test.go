package config

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// The readers of the alarms file, the targets file and the context keys, fuzzed. Each asserts:
// no panic; the work is bounded by the input's size (the values a file expands to, YAML aliases
// included, stay within maxNodesFloor + maxNodesPerByte per byte); and every problem is one line
// that names its key or file. Seeds: testdata/fuzz/NAME and the f.Add calls.
//
//	go test ./internal/config/ -run '^$' -fuzz FuzzAlarmsFile -fuzztime 3m -parallel 1

// checkProblems asserts err's problems are one line each and name a key or a file.
func checkProblems(t *testing.T, err error) {
	t.Helper()
	for _, p := range Problems(err) {
		line := p.Error()
		if strings.ContainsAny(line, "\n\r") {
			t.Fatalf("problem is not one line: %q", line)
		}
		if p.Key == "" && p.File == "" && p.TargetsFile == "" {
			t.Fatalf("problem names no key or file: %q", line)
		}
		if p.Msg == "" && p.Err != ErrMissing {
			t.Fatalf("problem says nothing: %q", line)
		}
	}
}

// checkBounded parses data as the file name and asserts the tree is within the budget.
func checkBounded(t *testing.T, name string, data []byte) *node {
	t.Helper()
	root, lerr := parseFile(name, data)
	if lerr != nil {
		if strings.ContainsAny(lerr.msg, "\n\r") {
			t.Fatalf("parse problem is not one line: %q", lerr.msg)
		}
		return nil
	}
	if n, most := root.size(), maxNodesFloor+maxNodesPerByte*len(data); n > most {
		t.Fatalf("%d bytes expand to %d values, more than %d", len(data), n, most)
	}
	return root
}

// size counts the values of a tree.
func (n *node) size() int {
	total := 1
	for _, c := range n.items {
		total += c.size()
	}
	return total
}

func fileName(asJSON bool, base string) string {
	if asJSON {
		return base + ".json"
	}
	return base + ".yaml"
}

func FuzzAlarmsFile(f *testing.F) {
	example, err := os.ReadFile("../../examples/alarms.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example, false)
	f.Add([]byte(alarm("")), false)
	f.Add([]byte(`{"alarms": [{"id": "A", "pattern": "{ $.a = 1 }", "threshold": 1, "description": {"en": "x"}}]}`), true)
	f.Add([]byte("a: &a [x,x]\nb: [*a,*a]\n"), false)
	builtIn := catalog.AWS()
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		name := fileName(asJSON, "alarms")
		root := checkBounded(t, name, data)
		if root == nil {
			return
		}
		in := Problem{Key: alarmsFileKey, File: name, Err: ErrAlarmsFile}
		rows, errs := decodeAlarms(root, builtIn, in)
		checkProblems(t, errs.Err())
		for _, p := range errs {
			if p.File != name || p.Key != alarmsFileKey {
				t.Fatalf("problem does not name the file: %q", p.Error())
			}
		}
		if len(errs) == 0 {
			// What is accepted can be deployed: within CloudWatch's limits, and JSON-encodable.
			for _, r := range rows {
				if fe := limitProblems(r); len(fe) > 0 {
					t.Fatalf("accepted a row past a limit: %v", fe[0])
				}
				if _, err := json.Marshal(r); err != nil {
					t.Fatalf("accepted a row JSON cannot encode: %v", err)
				}
			}
		}
	})
}

func FuzzTargetsFile(f *testing.F) {
	example, err := os.ReadFile("../../examples/targets.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example, false)
	f.Add([]byte("targets:\n  - {account: \"123456789012\", region: us-east-1}\n"), false)
	f.Add([]byte(`{"defaults": {"notificationEmails": "a@example.com"}, "targets": [{"account": "123456789012", "regions": ["us-east-1"]}]}`), true)
	ctx := map[string]any{"notificationEmails": "ops@example.com"}
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		name := fileName(asJSON, "targets")
		root := checkBounded(t, name, data)
		if root == nil {
			return
		}
		_, errs := decodeTargets(root, name, ctx)
		checkProblems(t, errs.Err())
		for _, p := range errs {
			if p.TargetsFile != name {
				t.Fatalf("problem does not name the targets file: %q", p.Error())
			}
		}
	})
}

// FuzzContext fuzzes the context keys: a JSON object (as cdk.json gives), or key=value lines (as
// -c gives).
func FuzzContext(f *testing.F) {
	f.Add([]byte(`{"notificationEmails": "a@example.com", "logRetentionDays": 365, "alarmProfile": ["aws", "cis"]}`))
	f.Add([]byte("notificationEmails=a@example.com\nbucketTransitionDays=1e400\nmanagmentEvents=All"))
	f.Add([]byte(`{"notificationEmails": ["a@example.com", 1], "objectLockDays": -1.5, "trailName": "a\nb"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var ctx map[string]any
		if json.Unmarshal(data, &ctx) != nil || ctx == nil {
			ctx = map[string]any{}
			for _, line := range strings.Split(string(data), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok {
					ctx[k] = v
				}
			}
		}
		if _, set := ctx[targetsFileKey]; set {
			ctx[targetsFileKey] = "testdata/none.yaml" // the file readers are fuzzed above
		}
		if _, set := ctx[alarmsFileKey]; set {
			ctx[alarmsFileKey] = "testdata/none.yaml"
		}
		targets, err := Load(ctx, noEnv)
		checkProblems(t, err)
		for _, tg := range targets {
			if n := tg.Resources(); n > MaxResources {
				t.Fatalf("accepted a stack of %d resources", n)
			}
		}
	})
}
