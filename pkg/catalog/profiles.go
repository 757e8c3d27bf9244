package catalog

import (
	"fmt"
	"strings"
)

// Profiles are the built-in alarm sets, by name, in the order they are deployed together.
var profiles = []struct {
	name string
	rows func() []Alarm
}{
	{"aws", AWS},
	{"cis", CIS},
}

// ProfileNames lists the built-in profiles.
func ProfileNames() []string {
	out := make([]string, len(profiles))
	for i, p := range profiles {
		out[i] = p.name
	}
	return out
}

// Profile returns the rows of one built-in profile.
func Profile(name string) ([]Alarm, bool) {
	for _, p := range profiles {
		if p.name == name {
			return p.rows(), true
		}
	}
	return nil, false
}

// Select returns the rows of the named profiles, in built-in order whatever the order of names.
// With dedupe, a row that another selected row supersedes is dropped (the superseding row counts
// the same events). It returns the rows and the IDs dropped.
func Select(names []string, dedupe bool) ([]Alarm, []string, error) {
	want := map[string]bool{}
	for _, n := range names {
		if _, ok := Profile(n); !ok {
			return nil, nil, fmt.Errorf("unknown profile %q; allowed: %s", n, strings.Join(ProfileNames(), ", "))
		}
		want[n] = true
	}
	var rows []Alarm
	for _, p := range profiles {
		if want[p.name] {
			rows = append(rows, p.rows()...)
		}
	}
	if !dedupe {
		return rows, nil, nil
	}
	superseded := map[string]bool{}
	for _, r := range rows {
		if r.Supersedes != "" {
			superseded[r.Supersedes] = true
		}
	}
	var kept []Alarm
	var dropped []string
	for _, r := range rows {
		if superseded[r.ID] {
			dropped = append(dropped, r.ID)
			continue
		}
		kept = append(kept, r)
	}
	return kept, dropped, nil
}
