// Package test holds trailwatch's cross-stack tests: fine-grained template assertions, golden
// snapshots (testdata/*.template.json, refreshed with `go test ./test/ -update`) and end-to-end runs
// of the CDK app.
package test

import (
	"flag"
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/stacks"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/ from the current synth")

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	stacks.RemoveNotifyBuild() // as the app does once it has synthesized
	jsii.Close()
	os.Exit(code)
}
