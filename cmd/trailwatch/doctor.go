package main

import "github.com/trailwatch/trailwatch/internal/doctor"

// runDoctor is `trailwatch doctor`: the one command that talks to AWS (read-only, but for
// --fire-drill). Its checks live in internal/doctor; its exit codes are the shared ones.
func runDoctor(args []string, sys *stdio) int {
	return doctor.Run(args, sys.stdin, sys.stdout, sys.stderr)
}
