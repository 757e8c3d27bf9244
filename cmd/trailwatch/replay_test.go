package main

import (
	"strings"
	"testing"
)

// The replay command itself is tested in internal/replaycmd; these check that the CLI reaches it.

func TestHelpListsReplay(t *testing.T) {
	_, out, _ := call(t, "", "help")
	if !strings.Contains(out, "replay   replay the alarms") {
		t.Errorf("help:\n%s", out)
	}
}

func TestDispatchesReplay(t *testing.T) {
	rec := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy"}`
	code, out, diag := call(t, rec+"\n", "replay", "--alarms", "IAMPolicyChanges", "--format", "json", "-")
	if code != exitOK || !strings.Contains(out, `"matches": 1`) {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, diag)
	}
	if code, _, _ := call(t, "", "replay", "--alarms", "Nope", "-"); code != exitUsage {
		t.Errorf("unknown alarm: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := call(t, "not json\n", "replay", "-"); code != exitBadRecord {
		t.Errorf("bad input: exit %d, want %d", code, exitBadRecord)
	}
}
