package replay

import (
	"io"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// input is one file to read, or standard input ("-").
type input struct {
	path string
	size int64 // bytes on disk; 0 for stdin
	// open, when set, opens an input of a Source (path is its name); nil for files and stdin.
	open func(name string) (io.ReadCloser, error)
}

// listInputs expands the command-line arguments with cloudtrail.ListInputs, the directory walk
// `trailwatch match` uses too (symlinks followed, each file read once).
func listInputs(args []string, problem func(cloudtrail.Problem), ignore func(cloudtrail.Ignored)) []input {
	var out []input
	for _, in := range cloudtrail.ListInputs(args, problem, ignore) {
		out = append(out, input{path: in.Path, size: in.Size})
	}
	return out
}
