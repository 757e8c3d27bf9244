package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	athenasvc "github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/trailwatch/trailwatch/internal/athena"
	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Running the replay query on Athena (replay --athena): StartQueryExecution, GetQueryExecution
// until the query ends, GetQueryResults page by page, then athena.Decode into the counts a local
// replay makes, and replay.ReportFromCounts into the same report.

// queryError is a query Athena could not run, or ran and failed: no report (cli.ExitListing, as an
// s3:// listing failure: the report could not say what it covers).
type queryError struct{ err error }

func (e queryError) Error() string { return e.err.Error() }

// athenaQuery is one run of the query: its ID, its result (every cell a string, NULL ""), and the
// bytes it scanned.
type athenaQuery struct {
	id      string
	header  []string
	rows    [][]string
	scanned int64
}

// runAthenaQuery starts q in workgroup (and database, when not ""), waits for it with polls from
// poll doubling to 5 s, for at most timeout, and reads every page of its result. A cancelled ctx
// or the timeout stops the query (StopQueryExecution) before returning.
func runAthenaQuery(ctx context.Context, c *athenasvc.Client, q, workgroup, database string, poll, timeout time.Duration) (*athenaQuery, error) {
	in := &athenasvc.StartQueryExecutionInput{QueryString: aws.String(q), WorkGroup: aws.String(workgroup)}
	if database != "" {
		in.QueryExecutionContext = &types.QueryExecutionContext{Database: aws.String(database)}
	}
	start, err := c.StartQueryExecution(ctx, in)
	if err != nil {
		return nil, queryError{fmt.Errorf("athena: StartQueryExecution: %s", firstLine(err))}
	}
	id := aws.ToString(start.QueryExecutionId)
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	stop := func(why string) error {
		// A fresh context: the query must be stopped even when ctx is what ended.
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, serr := c.StopQueryExecution(sctx, &athenasvc.StopQueryExecutionInput{QueryExecutionId: aws.String(id)})
		if serr != nil {
			return queryError{fmt.Errorf("athena: query %s: %s; stopping it failed: %s", id, why, firstLine(serr))}
		}
		return queryError{fmt.Errorf("athena: query %s: %s; stopped", id, why)}
	}
	var scanned int64
	for wait := poll; ; wait = nextPoll(wait) {
		out, err := c.GetQueryExecution(ctx, &athenasvc.GetQueryExecutionInput{QueryExecutionId: aws.String(id)})
		if err != nil {
			if ctx.Err() != nil {
				return nil, stop("cancelled")
			}
			return nil, queryError{fmt.Errorf("athena: GetQueryExecution %s: %s", id, firstLine(err))}
		}
		qe := out.QueryExecution
		if qe == nil || qe.Status == nil {
			return nil, queryError{fmt.Errorf("athena: query %s: no status in GetQueryExecution's answer", id)}
		}
		if qe.Statistics != nil {
			scanned = aws.ToInt64(qe.Statistics.DataScannedInBytes)
		}
		switch st := qe.Status.State; st {
		case types.QueryExecutionStateSucceeded:
			res, err := readResults(ctx, c, id)
			if err != nil {
				return nil, err
			}
			res.scanned = scanned
			return res, nil
		case types.QueryExecutionStateFailed, types.QueryExecutionStateCancelled:
			why := aws.ToString(qe.Status.StateChangeReason)
			if e := qe.Status.AthenaError; e != nil && why == "" {
				why = aws.ToString(e.ErrorMessage)
			}
			return nil, queryError{fmt.Errorf("athena: query %s %s: %s", id, st, printable(why))}
		}
		select {
		case <-ctx.Done():
			return nil, stop("cancelled")
		case <-deadline.C:
			return nil, stop(fmt.Sprintf("not finished after %s", timeout))
		case <-time.After(wait):
		}
	}
}

// nextPoll is the wait between GetQueryExecution calls after wait: doubled, up to 5 s.
func nextPoll(wait time.Duration) time.Duration { return min(2*wait, 5*time.Second) }

// readResults reads every page of a finished query's result. Athena's first row of a SELECT's
// result holds the column labels; the header comes from the result set's metadata.
func readResults(ctx context.Context, c *athenasvc.Client, id string) (*athenaQuery, error) {
	res := &athenaQuery{id: id}
	p := athenasvc.NewGetQueryResultsPaginator(c, &athenasvc.GetQueryResultsInput{QueryExecutionId: aws.String(id)})
	first := true
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, queryError{fmt.Errorf("athena: GetQueryResults %s: %s", id, firstLine(err))}
		}
		if page.ResultSet == nil {
			continue
		}
		rows := page.ResultSet.Rows
		if first {
			first = false
			md := page.ResultSet.ResultSetMetadata
			if md == nil {
				return nil, queryError{fmt.Errorf("athena: GetQueryResults %s: no column metadata", id)}
			}
			for _, ci := range md.ColumnInfo {
				res.header = append(res.header, aws.ToString(ci.Name))
			}
			if len(rows) > 0 {
				rows = rows[1:] // the column labels
			}
		}
		for _, r := range rows {
			row := make([]string, len(r.Data))
			for i, d := range r.Data {
				row[i] = aws.ToString(d.VarCharValue) // NULL has no VarCharValue
			}
			res.rows = append(res.rows, row)
		}
	}
	return res, nil
}

// athenaReport decodes a query's result for rows into the replay report, with the query's
// figures.
func athenaReport(rows []catalog.Alarm, o athena.Options, q *athenaQuery, topN int) (*replay.Report, error) {
	filters := athena.Plan(rows, o)
	res, err := athena.Decode(filters, len(rows), q.header, q.rows)
	if err != nil {
		return nil, queryError{fmt.Errorf("athena: query %s: %v", q.id, err)}
	}
	rules := replay.FromCatalog(rows, replay.DefaultPeriod)
	c := replay.Counts{
		Records: res.Records, NoEventTime: res.BadTime,
		FirstEvent: res.MinTime, LastEvent: res.MaxTime, HasTime: res.HasTime,
		Filters: res.Filters,
	}
	for _, a := range res.Alarms {
		c.Rules = append(c.Rules, replay.RuleCounts{
			Matches: a.Matches, First: a.First, Last: a.Last,
			Principals: a.Principals, EventNames: a.EventNames, SourceIPs: a.SourceIPs,
		})
	}
	rep, err := replay.ReportFromCounts(rules, c, topN)
	if err != nil { // Plan and FromCatalog give rows the same filters, each row an alarm
		return nil, queryError{fmt.Errorf("athena: query %s: report: %v", q.id, err)}
	}
	rep.Athena = &replay.AthenaStats{QueryExecutionID: q.id, DataScannedBytes: q.scanned, CostUSD: athena.Cost(q.scanned)}
	return rep, nil
}

var errNoWorkgroup = errors.New("--athena needs --athena-workgroup: the workgroup that runs the query and holds its results")
