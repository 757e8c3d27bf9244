package cloudtrail

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Input is one file to read, or standard input ("-").
type Input struct {
	Path string
	Size int64 // bytes on disk; 0 for standard input
}

// ListInputs expands command-line arguments into the inputs to read, for `trailwatch match` and
// `trailwatch replay` alike: files as given, directories recursively in lexical order (so an
// `aws s3 sync` tree of AWSLogs/... is read in time order per account and Region), "-" for
// standard input. Nothing is filtered by name: the content says what a file is.
//
// Symlinks are followed, to files and to directories alike; a directory already being walked (a
// symlink cycle) is not walked again. A file is read once however often it is named (a directory
// and a file inside it, two symlinks to one file, the same path twice): it is known by its device
// and inode, and a second naming goes to ignore, since counting its records twice could raise a
// false ALARM. A path that cannot be read goes to problem as ReasonUnreadable. Devices, sockets
// and pipes inside a tree are not CloudTrail files and are passed over; named explicitly, they
// are read.
func ListInputs(args []string, problem func(Problem), ignore func(Ignored)) []Input {
	l := &lister{problem: problem, ignore: ignore, files: map[fileKey]string{}, dirs: map[fileKey]string{}}
	for _, a := range args {
		if a == "-" {
			if l.stdin {
				ignore(Ignored{File: "-", Reason: "standard input named twice; read once"})
				continue
			}
			l.stdin = true
			l.out = append(l.out, Input{Path: "-"})
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			l.unreadable(a, err)
			continue
		}
		if !fi.IsDir() {
			l.file(a, fi)
			continue
		}
		var found []foundFile
		l.walk(a, fi, &found)
		slices.SortFunc(found, func(a, b foundFile) int { return strings.Compare(a.path, b.path) })
		for _, f := range found {
			l.file(f.path, f.info)
		}
	}
	return l.out
}

// readDir is os.ReadDir; a test makes it fail (root reads any directory, whatever its mode).
var readDir = os.ReadDir

type lister struct {
	problem func(Problem)
	ignore  func(Ignored)
	out     []Input
	stdin   bool
	files   map[fileKey]string // file identity -> the path it is read as
	dirs    map[fileKey]string // directories being walked or walked
}

type foundFile struct {
	path string
	info fs.FileInfo
}

func (l *lister) unreadable(path string, err error) {
	l.problem(Problem{Location: Location{File: path}, Reason: ReasonUnreadable, Detail: err.Error()})
}

// file adds a regular file unless it is already an input.
func (l *lister) file(path string, fi fs.FileInfo) {
	if k, ok := keyOf(fi); ok {
		if first, seen := l.files[k]; seen {
			l.ignore(Ignored{File: path, Reason: "same file as " + first + " (named twice); read once"})
			return
		}
		l.files[k] = path
	}
	l.out = append(l.out, Input{Path: path, Size: fi.Size()})
}

// walk collects the regular files under dir (fi: its Stat), following symlinks.
func (l *lister) walk(dir string, fi fs.FileInfo, found *[]foundFile) {
	if k, ok := keyOf(fi); ok {
		if first, seen := l.dirs[k]; seen {
			l.ignore(Ignored{File: dir, Reason: "same directory as " + first + " (a symlink loop, or named twice); read once"})
			return
		}
		l.dirs[k] = dir
	}
	entries, err := readDir(dir)
	if err != nil {
		l.unreadable(dir, err)
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		info, err := os.Stat(p) // a symlink is followed to what it names
		switch {
		case err != nil:
			l.unreadable(p, err)
		case info.IsDir():
			l.walk(p, info, found)
		case info.Mode().IsRegular():
			*found = append(*found, foundFile{p, info})
		}
		// Devices, sockets and pipes inside a tree are not CloudTrail files: skipped by design.
	}
}
