package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDoesNotLinkTheCDK: the function is deployed to Lambda; it must stay free of the AWS CDK and
// jsii, which would add ~100 MB and a node process. Only the catalog, the AWS SDK and the Lambda
// runtime library come in.
func TestDoesNotLinkTheCDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, dep := range deps {
		if strings.Contains(dep, "aws-cdk") || strings.Contains(dep, "jsii") || strings.Contains(dep, "constructs-go") {
			t.Errorf("trailwatch-notify links %s", dep)
		}
	}
	if !strings.Contains(string(out), "github.com/trailwatch/trailwatch/pkg/catalog\n") {
		t.Errorf("trailwatch-notify does not link the catalog; deps:\n%s", out)
	}
}
