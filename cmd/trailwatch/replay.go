package main

import (
	"io"
	"os"

	"github.com/trailwatch/trailwatch/internal/replay/engine"
	"github.com/trailwatch/trailwatch/internal/replaycmd"
)

// replay lives in internal/replaycmd; this file only registers it and says what the terminal is.
func init() {
	commands = append(commands, command{"replay", "replay the alarms over CloudTrail history: matches, ALARM periods, episodes", runReplay})
}

func runReplay(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return replaycmd.Main(args, replaycmd.Env{
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
		StdinIsTerminal:  isTerminal(stdin),
		StderrIsTerminal: isTerminal(stderr),
	}, engine.Compile)
}

// isTerminal reports whether v is a character device such as a terminal: then replay waits for no
// piped input and may draw a progress bar.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
