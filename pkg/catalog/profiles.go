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

// Resolve reads an alarm selection as the CLI takes it: comma-separated profile names ("aws",
// "cis") and row IDs of any profile, in the order given, each row once.
func Resolve(spec string) ([]Alarm, error) {
	var all []Alarm
	for _, name := range ProfileNames() {
		rows, _ := Profile(name)
		all = append(all, rows...)
	}
	var out []Alarm
	seen := map[string]bool{}
	add := func(a Alarm) {
		if !seen[a.ID] {
			seen[a.ID] = true
			out = append(out, a)
		}
	}
	var unknown []string
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if rows, ok := Profile(part); ok {
			for _, a := range rows {
				add(a)
			}
		} else if a, ok := Find(all, part); ok {
			add(a)
		} else {
			unknown = append(unknown, part)
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown %s; allowed: a profile (%s) or alarm IDs such as %s", strings.Join(unknown, ", "),
			strings.Join(ProfileNames(), ", "), "SecurityGroupChanges, Cis1RootUsage")
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no alarm selected; allowed: a profile (%s) or alarm IDs", strings.Join(ProfileNames(), ", "))
	}
	return out, nil
}
