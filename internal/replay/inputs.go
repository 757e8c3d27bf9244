package replay

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// input is one file to read, or standard input ("-").
type input struct {
	path string
	size int64 // bytes on disk; 0 for stdin
	// open, when set, opens an input of a Source (path is its name); nil for files and stdin.
	open func(name string) (io.ReadCloser, error)
}

// listInputs expands the command-line arguments: files as given, directories recursively in lexical
// order (so an `aws s3 sync` tree of AWSLogs/... is read in time order per account and Region),
// "-" for standard input. Nothing is filtered by name: the content says what a file is.
func listInputs(args []string, problem func(cloudtrail.Problem)) []input {
	var out []input
	for _, a := range args {
		if a == "-" {
			out = append(out, input{path: "-"})
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			problem(cloudtrail.Problem{Location: cloudtrail.Location{File: a}, Reason: cloudtrail.ReasonUnreadable, Detail: err.Error()})
			continue
		}
		if !fi.IsDir() {
			out = append(out, input{path: a, size: fi.Size()})
			continue
		}
		var files []input
		root := a
		if li, err := os.Lstat(a); err == nil && li.Mode()&fs.ModeSymlink != 0 {
			root = a + string(filepath.Separator) // walk the directory a symlink names
		}
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				problem(cloudtrail.Problem{Location: cloudtrail.Location{File: p}, Reason: cloudtrail.ReasonUnreadable, Detail: err.Error()})
				return nil
			}
			if d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0 {
				info, err := os.Stat(p) // follows a symlink to a file; directories are not followed
				if err == nil && !info.Mode().IsRegular() {
					return nil
				}
				if err != nil {
					problem(cloudtrail.Problem{Location: cloudtrail.Location{File: p}, Reason: cloudtrail.ReasonUnreadable, Detail: err.Error()})
					return nil
				}
				files = append(files, input{path: p, size: info.Size()})
			}
			return nil
		})
		sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
		out = append(out, files...)
	}
	return out
}
