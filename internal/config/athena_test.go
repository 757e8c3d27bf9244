package config

import "testing"

// athena=true adds the Athena part's resources (6, and a named query per alarm: AWS's ten) to the
// count, so the 500-resource boundary moves by 16 and its message names the right numbers.
func TestAthenaMovesTheResourceBoundary(t *testing.T) {
	at, err := Parse(map[string]any{"notificationEmails": addresses(430), "athena": true}, noEnv)
	if err != nil {
		t.Fatalf("430 addresses with athena: %v", err)
	}
	if n := at.Resources(); n != MaxResources {
		t.Fatalf("430 addresses with athena make %d resources, want %d", n, MaxResources)
	}
	_, err = Parse(map[string]any{"notificationEmails": addresses(431), "athena": true}, noEnv)
	want := "notificationEmails: has 431 addresses, one subscription each, which with the stack's other 70 resources make 501; " +
		"allowed: at most 500 resources per stack (CloudFormation's limit): at most 430 addresses with these alarms, or a mailing list address"
	if got := lines(err); len(got) != 1 || got[0] != want {
		t.Errorf("431 addresses with athena:\n  got  %q\n  want %q", got, want)
	}
}

// Only alarms whose pattern translates get a named query, so only they are counted.
func TestAthenaCountsOnlyTranslatedPatterns(t *testing.T) {
	at, err := Parse(map[string]any{"notificationEmails": "ops@example.com", "athena": true, "alarmProfile": "aws,cis"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(at.athenaQueries()), len(at.Alarms); got != want {
		t.Errorf("%d of %d catalog rows get a named query; want every one (the catalog translates)", got, want)
	}
	at.Alarms[0].Pattern = `{ $.userIdentity.foo = "x" }` // not in the table: refused
	without := at.Resources()
	at.Athena = false
	if got := without - at.Resources(); got != 6+len(at.Alarms)-1 {
		t.Errorf("athena with one refused pattern adds %d resources, want 6 + %d queries", got, len(at.Alarms)-1)
	}
}
