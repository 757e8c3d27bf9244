package doctor

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDoesNotLinkTheCDK: doctor goes into the CLI, which must stay free of the AWS CDK and jsii; it
// reads the synthesized template as JSON instead.
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
			t.Errorf("doctor links %s", dep)
		}
	}
}
