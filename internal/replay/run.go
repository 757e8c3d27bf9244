package replay

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// Options configure a replay.
type Options struct {
	// Rules are what to replay; see FromCatalog and FromTemplate.
	Rules []Rule
	// Inputs are files, directories (read recursively) and "-" for Stdin.
	Inputs []string
	Stdin  io.Reader
	// Workers is the number of match workers and of files read at once, at most MaxWorkers().
	// Default: - runtime.GOMAXPROCS(0).
	Workers int
	// UnwatchedPeriod buckets the matches of filters no alarm watches.
	// Default: - DefaultPeriod (300 s).
	UnwatchedPeriod int64
	// TopN is the length of the top principal / event name / source IP lists.
	// Default: - 5.
	TopN int
	// Progress, when set, is called about 5 times a second with the bytes read so far and the
	// total size of the input files (stdin not counted).
	Progress func(done, total int64)
	// Sources add inputs that are not files, such as S3 objects; see Source.
	Sources []Source
	// Readers is the number of inputs read at once; more than Workers pays when reading waits
	// on the network. Default: - Workers.
	Readers int
	// Since and Until keep the records whose eventTime is in [Since, Until); the others are
	// counted in Totals.RecordsOutsideRange. Default: - every record.
	Since, Until time.Time
}

// MaxTopN bounds the top lists of the report (--top).
const MaxTopN = 100

// MaxWorkers is the most workers Run accepts: 4 per CPU. Each worker keeps three ~512 KiB batches
// in flight and reads one file, so more would only cost memory (20,000 workers took 1 GB for one
// record).
func MaxWorkers() int { return 4 * runtime.GOMAXPROCS(0) }

// ErrOption marks an Options value out of range (errors.Is).
var ErrOption = errors.New("option out of range")

// optionError is an out-of-range option, in the CLI's words.
type optionError string

func (e optionError) Error() string        { return string(e) }
func (e optionError) Is(target error) bool { return target == ErrOption }

// check bounds the options that size work and memory; the messages use the CLI's flag names.
func (o *Options) check() error {
	var errs []error
	if o.Workers < 1 || o.Workers > MaxWorkers() {
		errs = append(errs, optionError(fmt.Sprintf("--workers %d: want 1 to %d (4 per CPU, %d CPUs)", o.Workers, MaxWorkers(), runtime.GOMAXPROCS(0))))
	}
	if p := o.UnwatchedPeriod; p < 60 || p%60 != 0 || p > MaxPeriod {
		errs = append(errs, optionError(fmt.Sprintf("--period %d: want a multiple of 60 seconds from 60 to %d (7 days, CloudWatch's longest evaluation range)", p, MaxPeriod)))
	}
	if o.TopN < 1 || o.TopN > MaxTopN {
		errs = append(errs, optionError(fmt.Sprintf("--top %d: want 1 to %d", o.TopN, MaxTopN)))
	}
	return errors.Join(errs...)
}

// compile parses every pattern into one filterpattern.Set, which reads each record once for all
// of them. Every pattern that does not parse is reported, with its column.
func compile(patterns []string) (*filterpattern.Set, error) {
	ps := make([]*filterpattern.Pattern, len(patterns))
	var errs []error
	for i, src := range patterns {
		p, err := filterpattern.Parse(src)
		if err != nil {
			errs = append(errs, fmt.Errorf("pattern %q: %w", src, err))
			continue
		}
		ps[i] = p
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return filterpattern.NewSet(ps...), nil
}

// ErrNoInput means no file could be opened at all.
var ErrNoInput = errors.New("no input")

// Run replays the rules over the inputs. Bad input never stops it: problems are counted and listed
// in the report. It returns an error only when the rules cannot be replayed.
func Run(o Options) (*Report, error) {
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.UnwatchedPeriod == 0 {
		o.UnwatchedPeriod = DefaultPeriod
	}
	if o.TopN == 0 {
		o.TopN = 5
	}
	if o.Readers <= 0 {
		o.Readers = o.Workers
	}
	if err := o.check(); err != nil {
		return nil, err
	}
	if err := Validate(o.Rules); err != nil {
		return nil, err
	}
	p := newPlan(o.Rules, o.UnwatchedPeriod)
	// One Set for all workers: it is immutable and safe for concurrent use (pkg/filterpattern).
	set, err := compile(p.patterns)
	if err != nil {
		return nil, fmt.Errorf("compiling filter patterns: %w", err)
	}

	probs := newProblems()
	inputs := listInputs(o.Inputs, probs.add, probs.ignore)
	var total, done atomic.Int64
	for _, in := range inputs {
		total.Add(in.size)
	}

	// Bounded memory: at most len(free) batches exist, each about batchBytes.
	// Each reader may hold one batch it is filling, so readers beyond the workers get one each.
	free := make(chan *batch, 3*o.Workers+max(0, o.Readers-o.Workers))
	for range cap(free) {
		free <- newBatch()
	}
	work := make(chan *batch, cap(free))
	results := make(chan *result, 4*o.Workers)

	agg := newAggregate(p)
	aggDone := make(chan struct{})
	go func() {
		for r := range results {
			agg.add(r)
		}
		close(aggDone)
	}()

	states := make([]*worker, o.Workers)
	var wg sync.WaitGroup
	for i := range o.Workers {
		w := newWorker(p, set, probs.add)
		w.keep = newTimeRange(o.Since, o.Until)
		states[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				if r := w.run(b); r != nil {
					results <- r
				}
				free <- recycled(b)
			}
		}()
	}

	stopProgress := startProgress(o.Progress, &done, &total)

	// Readers: one file each at a time, Workers of them, so a tree of many S3 log files uses every
	// core for decompression; a single big file still has all workers matching its batches.
	files := make(chan input)
	var filesRead atomic.Int64
	var rg sync.WaitGroup
	for range o.Readers {
		rg.Add(1)
		go func() {
			defer rg.Done()
			var d cloudtrail.Reader
			for in := range files {
				if readInput(&d, in, o.Stdin, free, work, probs, &done) {
					filesRead.Add(1)
				}
			}
		}()
	}
	for _, in := range inputs {
		files <- in
	}
	listErr := listSources(o.Sources, files, &total)
	close(files)
	rg.Wait()
	close(work)
	wg.Wait()
	close(results)
	<-aggDone
	stopProgress()
	if listErr != nil {
		return nil, listErr
	}

	return buildReport(p, agg, states, probs, filesRead.Load(), done.Load(), o.TopN), nil
}

// readInput decodes one input into batches. It reports whether the input could be opened.
func readInput(d *cloudtrail.Reader, in input, stdin io.Reader, free chan *batch, work chan<- *batch, probs *problems, done *atomic.Int64) bool {
	var r io.Reader
	if in.open == nil && in.path == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		r = stdin
	} else {
		open := in.open
		if open == nil {
			open = func(name string) (io.ReadCloser, error) { return os.Open(name) }
		}
		rc, err := open(in.path)
		if err != nil {
			probs.add(cloudtrail.Problem{Location: cloudtrail.Location{File: in.path}, Reason: cloudtrail.ReasonUnreadable, Detail: err.Error()})
			return false
		}
		defer rc.Close()
		r = rc
	}
	s := &batcher{file: in.path, free: free, work: work, report: probs.add, ignored: probs.ignore}
	d.Read(in.path, &countingReader{r: r, n: done}, s.handler())
	s.flush()
	return true
}

// countingReader adds what it reads to a shared counter for the progress bar.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func startProgress(fn func(done, total int64), done, total *atomic.Int64) func() {
	if fn == nil {
		return func() {}
	}
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fn(done.Load(), total.Load())
			case <-stop:
				fn(done.Load(), total.Load())
				return
			}
		}
	}()
	return func() { close(stop); <-finished }
}

func buildReport(p *plan, agg *aggregate, workers []*worker, probs *problems, files, bytes int64, topN int) *Report {
	rep := &Report{Schema: SchemaVersion}
	t := &rep.Totals
	t.FilesRead, t.BytesRead = files, bytes
	minT, maxT := int64(math.MaxInt64), int64(math.MinInt64)
	totals := map[int64]map[int64]int64{}
	for _, w := range workers {
		t.RecordsRead += w.st.records
		t.RecordsOutsideRange += w.st.outside
		minT, maxT = min(minT, w.st.minT), max(maxT, w.st.maxT)
		for size, m := range w.st.totals {
			if totals[size] == nil {
				totals[size] = map[int64]int64{}
			}
			for b, n := range m {
				totals[size][b] += n
			}
		}
	}
	hasRecords := t.RecordsRead > 0
	t.FirstEvent, t.LastEvent = unixPtr(minT, hasRecords), unixPtr(maxT, hasRecords)
	t.RecordsSkipped = probs.total
	t.SkippedByReason = probs.byReason
	t.Skipped = append([]cloudtrail.Problem{}, probs.first...)
	t.IgnoredCount = probs.nIgnored
	t.Ignored = append([]cloudtrail.Ignored{}, probs.ignored...)

	fi := 0
	for ri, r := range p.rules {
		ra := agg.rules[ri]
		ar := AlarmReport{
			ID: r.ID, MetricName: r.MetricName, Namespace: r.Namespace, Filters: r.Filters, Alarm: r.Alarm,
			Matches:            ra.matches,
			FirstMatch:         unixPtr(ra.first, ra.matches > 0),
			LastMatch:          unixPtr(ra.last, ra.matches > 0),
			TopPrincipals:      ra.principals.top(topN),
			TopEventNames:      ra.names.top(topN),
			TopSourceIPs:       ra.ips.top(topN),
			TopCountErrorBound: max(ra.principals.floor, ra.names.floor, ra.ips.floor),
			AlarmPeriods:       []PeriodReport{},
			Episodes:           []Episode{},
		}
		counts := agg.buckets[fi : fi+len(r.Filters)]
		fi += len(r.Filters)
		if r.Alarm != nil && hasRecords {
			data := metricData(r.Filters, counts, totals[r.Alarm.Period], r.Alarm.Statistic)
			runs := evaluate(r.Alarm, data, bucketOf(minT, r.Alarm.Period), bucketOf(maxT, r.Alarm.Period))
			summarize(&ar, runs, r.Alarm.Period)
		}
		rep.Alarms = append(rep.Alarms, ar)
	}
	return rep
}
