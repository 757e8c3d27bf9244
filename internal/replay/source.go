package replay

import (
	"io"
	"math"
	"time"
)

// Source supplies inputs from elsewhere than the file system, such as the objects of an S3
// bucket (internal/s3input). Its inputs are read after Options.Inputs, by the same readers.
type Source struct {
	// List calls add for each input, in reading order, with the name the report shows and its
	// size in bytes (for the progress bar). An error stops the replay: Run returns it.
	List func(add func(name string, size int64)) error
	// Open starts reading an input List named. Its error is reported as the input's skip reason.
	Open func(name string) (io.ReadCloser, error)
}

// timeRange is Options.Since and Until as Unix seconds, [from, to).
type timeRange struct{ from, to int64 }

// allTime keeps every record.
var allTime = timeRange{math.MinInt64, math.MaxInt64}

func newTimeRange(since, until time.Time) timeRange {
	r := allTime
	if !since.IsZero() {
		r.from = since.Unix()
	}
	if !until.IsZero() {
		r.to = until.Unix()
	}
	return r
}

func (r timeRange) has(t int64) bool { return t >= r.from && t < r.to }

// listSources feeds every source's inputs to files and returns the first listing error.
func listSources(sources []Source, files chan<- input, total interface{ Add(int64) int64 }) error {
	for _, s := range sources {
		err := s.List(func(name string, size int64) {
			total.Add(size)
			files <- input{path: name, size: size, open: s.Open}
		})
		if err != nil {
			return err
		}
	}
	return nil
}
