package main

import (
	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/internal/doctor"
)

// runDoctor is `trailwatch doctor`: the one command that talks to AWS (read-only, but for
// --fire-drill). Its checks live in internal/doctor; its stdio and exit codes are the shared ones.
func runDoctor(args []string, sys *cli.Stdio) int { return doctor.Run(args, sys) }
