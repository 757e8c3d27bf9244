package filterpattern_test

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// referencePath is the team's shared fact sheet; CI has it beside the checkout.
const referencePath = "../../../shared/REFERENCE.md"

// cisPatterns reads the Security Hub CloudWatch.1-14 patterns from REFERENCE.md §B.
func cisPatterns(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(referencePath)
	if os.IsNotExist(err) {
		t.Skipf("%s is absent", referencePath)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	inB, inCode := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			inB = strings.HasPrefix(line, "## B.")
		case inB && line == "```":
			inCode = !inCode
		case inB && inCode && strings.HasPrefix(line, "CloudWatch."):
			label, _, _ := strings.Cut(line, " ")
			if i := strings.IndexByte(line, '{'); i >= 0 {
				out[label] = line[i:]
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) != 14 {
		t.Fatalf("read %d CIS patterns from %s §B, want 14", len(out), referencePath)
	}
	return out
}

// TestCISPatterns: the engine accepts all fourteen Security Hub patterns, byte for byte, and
// evaluates the two that use NOT EXISTS and != the way Security Hub intends.
func TestCISPatterns(t *testing.T) {
	ps := cisPatterns(t)
	for _, src := range ps {
		mustParse(t, src)
	}
	check(t, ps["CloudWatch.1"],
		yes(`{"userIdentity":{"type":"Root","principalId":"123456789012"},"eventType":"AwsApiCall","eventName":"CreateUser"}`),
		no(`{"userIdentity":{"type":"Root","invokedBy":"signin.amazonaws.com"},"eventType":"AwsApiCall"}`),
		no(`{"userIdentity":{"type":"Root"},"eventType":"AwsServiceEvent"}`),
		no(`{"userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"}`),
		// != needs the field: a record without eventType does not match (see SEMANTICS.md).
		no(`{"userIdentity":{"type":"Root"}}`))
	check(t, ps["CloudWatch.3"],
		yes(`{"eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"No"},"userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Success"}}`),
		no(`{"eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"Yes"},"userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Success"}}`),
		no(`{"eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Success"}}`),
		no(`{"eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"No"},"userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Failure"}}`))
	check(t, ps["CloudWatch.7"],
		yes(`{"eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion"}`),
		no(`{"eventSource":"kms.amazonaws.com","eventName":"EnableKey"}`),
		no(`{"eventSource":"s3.amazonaws.com","eventName":"DisableKey"}`))
}
