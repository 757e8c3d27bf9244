package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDoesNotLinkTheCDK: the CLI must stay free of the AWS CDK and jsii (a ~100 MB dependency that
// starts a node process); only the catalog's plain data and the engine may come in.
func TestDoesNotLinkTheCDK(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list dependencies with")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "aws-cdk") || strings.Contains(dep, "jsii") || strings.Contains(dep, "constructs-go") {
			t.Errorf("trailwatch links %s", dep)
		}
	}
}
