package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// Profile is a built-in alarm set: its rows and what it asks of the trail. Help texts and rules
// read these fields; nothing outside this file names a profile.
type Profile struct {
	// Name selects the profile (alarmProfile, --alarms).
	Name string
	// Title names the profile in sentences ("the CIS alarms").
	Title string
	// Summary says in a few words what the rows are, for help texts.
	Summary string
	// Rows returns a new slice of the profile's rows, in deployment order.
	Rows func() []Alarm
	// ManagementEvents is the management-event selection the trail must record for the profile's
	// checks to pass ("All"); "" when any selection will do.
	ManagementEvents string
	// Checks names what passes only with ManagementEvents, e.g. Security Hub's controls.
	Checks string
}

// Profiles are the built-in alarm sets, in the order they are deployed together. Adding one is a
// file of rows and a line here.
var Profiles = []Profile{
	{Name: "aws", Title: "AWS", Summary: "AWS's ten", Rows: AWS},
	{Name: "cis", Title: "CIS", Summary: "Security Hub CloudWatch.1-14", Rows: CIS,
		ManagementEvents: "All", Checks: "Security Hub's CloudWatch.1-14 checks"},
}

// ProfileNames lists the built-in profiles.
func ProfileNames() []string {
	out := make([]string, len(Profiles))
	for i, p := range Profiles {
		out[i] = p.Name
	}
	return out
}

// ProfileNamed returns the built-in profile called name.
func ProfileNamed(name string) (Profile, bool) {
	i := slices.IndexFunc(Profiles, func(p Profile) bool { return p.Name == name })
	if i < 0 {
		return Profile{}, false
	}
	return Profiles[i], true
}

// Select returns the rows of the named profiles, in built-in order whatever the order of names.
// With dedupe, a row that another selected row supersedes is dropped (Dedupe). It returns the
// rows and the IDs dropped.
func Select(names []string, dedupe bool) ([]Alarm, []string, error) {
	var chosen []Profile
	for _, p := range Profiles {
		if slices.Contains(names, p.Name) {
			chosen = append(chosen, p)
		}
	}
	for _, n := range names {
		if _, ok := ProfileNamed(n); !ok {
			return nil, nil, fmt.Errorf("unknown profile %q; allowed: %s", n, strings.Join(ProfileNames(), ", "))
		}
	}
	rows := RowsOf(chosen)
	if !dedupe {
		return rows, nil, nil
	}
	kept, dropped := Dedupe(rows)
	return kept, dropped, nil
}

// RowsOf returns the rows of profiles, in the order given.
func RowsOf(profiles []Profile) []Alarm {
	var rows []Alarm
	for _, p := range profiles {
		rows = append(rows, p.Rows()...)
	}
	return rows
}

// Dedupe drops each row another row of rows supersedes (the superseding row counts the same
// events). It returns the rows kept and the IDs dropped.
func Dedupe(rows []Alarm) (kept []Alarm, dropped []string) {
	superseded := map[string]bool{}
	for _, r := range rows {
		if r.Supersedes != "" {
			superseded[r.Supersedes] = true
		}
	}
	for _, r := range rows {
		if superseded[r.ID] {
			dropped = append(dropped, r.ID)
			continue
		}
		kept = append(kept, r)
	}
	return kept, dropped
}

// Resolve reads an alarm selection as the CLI takes it: comma-separated profile names and row
// IDs of any profile, in the order given, each row once.
func Resolve(spec string) ([]Alarm, error) {
	all := RowsOf(Profiles)
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
		if p, ok := ProfileNamed(part); ok {
			for _, a := range p.Rows() {
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
