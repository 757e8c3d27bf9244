package catalog_test

import (
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// The catalog proof: every pattern parses under the offline engine, every Fires record matches
// its alarm's pattern and every Quiet record does not.

// allRows is every built-in row of every profile.
func allRows() []catalog.Alarm {
	var out []catalog.Alarm
	for _, name := range catalog.ProfileNames() {
		p, _ := catalog.ProfileNamed(name)
		rows := p.Rows()
		out = append(out, rows...)
	}
	return out
}

func TestEveryPatternParses(t *testing.T) {
	for _, a := range allRows() {
		if _, err := filterpattern.Parse(a.Pattern); err != nil {
			t.Errorf("%s: %v\n%s", a.ID, err, a.Pattern)
		}
	}
}

func TestFiresMatchAndQuietDoNot(t *testing.T) {
	for _, a := range allRows() {
		if len(a.Fires) == 0 || len(a.Quiet) == 0 {
			t.Errorf("%s: %d Fires and %d Quiet records; every row needs both", a.ID, len(a.Fires), len(a.Quiet))
		}
		p, err := filterpattern.Parse(a.Pattern)
		if err != nil {
			t.Errorf("%s: %v", a.ID, err)
			continue
		}
		for _, rec := range a.Fires {
			if !p.Match([]byte(rec)) {
				t.Errorf("%s: a Fires record does not match:\n%s", a.ID, rec)
			}
		}
		for _, rec := range a.Quiet {
			if p.Match([]byte(rec)) {
				t.Errorf("%s: a Quiet record matches:\n%s", a.ID, rec)
			}
		}
	}
}

// TestNearMissesStayInTheCatalog keeps the examples that show how AWS's patterns really behave:
// whole-value and case-sensitive matching, wildcards on one side only, and the records a
// careless reading of a pattern gets wrong.
func TestNearMissesStayInTheCatalog(t *testing.T) {
	tests := []struct {
		id, list, fragment, why string
	}{
		{"VpcChanges", "Fires", `"eventName":"CreateVpcPeeringConnection"`, "listed in the pattern in its own right"},
		{"VpcChanges", "Quiet", `"eventName":"CreateVpcEndpoint"`, "CreateVpc matches the whole value, not a prefix"},
		{"VpcChanges", "Quiet", `"eventName":"createVpc"`, "matching is case-sensitive"},
		{"EC2LargeInstanceChanges", "Quiet", `"instanceType":"m5.24xlarge"`, "*.4xlarge is a suffix match on .4xlarge"},
		{"EC2LargeInstanceChanges", "Fires", `"instanceType":"m5.8xlarge"`, "*.8xlarge"},
		{"EC2LargeInstanceChanges", "Quiet", `"launchTemplate"`, "RunInstances without instanceType"},
		{"EC2LargeInstanceChanges", "Quiet", `"eventName":"StartInstances"`, "only RunInstances is covered"},
		{"ConsoleSignInFailures", "Quiet", `"errorMessage":"No username found in supplied account"`, "another failure message"},
		{"ConsoleSignInFailures", "Quiet", `"errorMessage":"failed authentication"`, "case-sensitive"},
		{"AuthorizationFailures", "Fires", `"errorCode":"Client.UnauthorizedOperation"`, "*UnauthorizedOperation"},
		{"AuthorizationFailures", "Fires", `"errorCode":"AccessDeniedException"`, "AccessDenied*"},
		{"AuthorizationFailures", "Quiet", `"errorCode":"accessDenied"`, "case-sensitive"},
		{"AuthorizationFailures", "Quiet", `"eventName":"RunInstances","awsRegion":"us-east-1","readOnly":false`, "a successful call has no errorCode"},
		{"SecurityGroupChanges", "Quiet", `"eventName":"createSecurityGroup"`, "lower-case event name"},
	}
	for _, tt := range tests {
		a, ok := catalog.Find(catalog.AWS(), tt.id)
		if !ok {
			t.Errorf("no alarm %s", tt.id)
			continue
		}
		list := a.Quiet
		if tt.list == "Fires" {
			list = a.Fires
		}
		found := false
		for _, rec := range list {
			if strings.Contains(rec, tt.fragment) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s.%s lost its example with %s (%s)", tt.id, tt.list, tt.fragment, tt.why)
		}
	}
}
