package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// alarmsFlag is --alarms, the same in every command: built-in profiles and/or alarm IDs,
// comma-separated, as catalog.Resolve reads them.
type alarmsFlag struct {
	spec  string
	given bool // set on the command line, not the default
}

// addAlarmsFlag defines --alarms on fs; verb says what the command does with the alarms.
func addAlarmsFlag(fs *flag.FlagSet, verb string) *alarmsFlag {
	a := &alarmsFlag{spec: "aws"}
	fs.Var(a, "alarms", "catalog alarms to "+verb+": profiles ("+strings.Join(catalog.ProfileNames(), ", ")+") and/or alarm IDs, comma-separated")
	return a
}

func (a *alarmsFlag) String() string { return a.spec }

func (a *alarmsFlag) Set(s string) error {
	a.spec, a.given = s, true
	return nil
}

// rows resolves the selection; the error names the flag.
func (a *alarmsFlag) rows() ([]catalog.Alarm, error) {
	rows, err := catalog.Resolve(a.spec)
	if err != nil {
		return nil, fmt.Errorf("--alarms: %w", err)
	}
	return rows, nil
}
