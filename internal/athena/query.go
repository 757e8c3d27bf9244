package athena

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Options shape the replay query.
type Options struct {
	// Table is the CloudTrail table, optionally qualified by its database ("db.table").
	// Default: - "cloudtrail_logs".
	Table string
	// Since and Until bound the replay to records whose eventTime is in [Since, Until). The
	// partition column "timestamp" (yyyy/MM/dd, the day of the log file's folder) is pruned to
	// the days from Since's to Until's, one day wider on each side, because CloudTrail files a
	// record in the folder of its delivery, minutes after the event.
	// Default: - no bound: every partition is read.
	Since, Until time.Time
	// Accounts and Regions restrict the table's "account" and "region" partition columns (the
	// stack's table has "region"; an organization trail's table "account" as well).
	// Default: - every account and Region; an Organization table needs Accounts.
	Accounts, Regions []string
	// Organization says the table is an organization trail's, whose account partition is
	// injected (stacks.NewAthena): Athena reads only the accounts a query names.
	// Default: - false.
	Organization bool
	// Period overrides every row's alarm period, in seconds (a multiple of 60).
	// Default: - each row's own period (catalog.Alarm.EffectivePeriod).
	Period int64
}

// The query's result columns. One row per grouping: Kind says which, the key columns hold its
// value, the count columns the counts of the records in it.
const (
	// KindTotal is the one row over all records: Records is every row read, BadTime those
	// without a usable eventTime (replay skips them), MinTime/MaxTime the eventTime range.
	KindTotal = "total"
	// KindMinute is one row per minute (Bucket, Unix seconds, a multiple of 60) in which some
	// filter matched. F<i> counts the records filter i matched; a period of P seconds is the sum
	// of its P/60 minutes, since P is a multiple of 60 and both are aligned to the Unix epoch.
	KindMinute = "minute"
	// KindPrincipal, KindEventName and KindSourceIP are one row per value (Key) among matched
	// records; R<j> counts the records alarm j matched with that value.
	KindPrincipal = "principal"
	KindEventName = "event_name"
	KindSourceIP  = "source_ip"
)

var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// Filter is one metric filter of the query, in result-column order: F<i> counts filter i.
type Filter struct {
	Alarm   int    // index of the alarm (row) it belongs to: R<Alarm>
	Name    string // the row ID, or ID + "/BenchmarkFilter" for a row's second filter
	Pattern string
	Period  int64
}

// Plan lists the filters of a query in result-column order.
func Plan(rows []catalog.Alarm, opts Options) []Filter {
	var out []Filter
	for i, a := range rows {
		period := int64(a.EffectivePeriod())
		if opts.Period != 0 { // set: SQL checks it is a whole number of minutes
			period = opts.Period
		}
		out = append(out, Filter{Alarm: i, Name: a.ID, Pattern: a.Pattern, Period: period})
		if a.BenchmarkPattern != "" {
			// Deployed as a second filter on the same metric. The query counts its matches; what
			// each match adds to the metric (its MetricValue) is the evaluator's business.
			out = append(out, Filter{Alarm: i, Name: a.ID + "/BenchmarkFilter", Pattern: a.BenchmarkPattern, Period: period})
		}
	}
	return out
}

// SQL returns the one Trino query that replays rows over the CloudTrail table, reading it once:
// the table appears once, in a subquery that evaluates every filter's pattern on each row, and a
// single GROUP BY GROUPING SETS folds the rows into the Kind* result rows. Every pattern that
// has no exact translation is reported (errors.Join of *RefusalError, each prefixed with the
// row ID).
func SQL(rows []catalog.Alarm, opts Options) (string, error) {
	table := opts.Table
	if table == "" {
		table = "cloudtrail_logs"
	}
	var errs []error
	if !tableName.MatchString(table) {
		errs = append(errs, fmt.Errorf("table %q: want NAME or DATABASE.NAME of letters, digits and '_'", table))
	}
	if opts.Period != 0 && (opts.Period < 60 || opts.Period%60 != 0) {
		errs = append(errs, fmt.Errorf("period %d s: want a multiple of 60", opts.Period))
	}
	if !opts.Since.IsZero() && !opts.Until.IsZero() && !opts.Since.Before(opts.Until) {
		errs = append(errs, fmt.Errorf("since %s is not before until %s", opts.Since.Format(time.RFC3339), opts.Until.Format(time.RFC3339)))
	}
	if len(rows) == 0 {
		errs = append(errs, errors.New("no alarms selected"))
	}
	if opts.Organization && len(opts.Accounts) == 0 {
		errs = append(errs, errors.New("an organization table reads only the accounts a query names (its account partition is injected): list them in Accounts"))
	}
	for _, a := range opts.Accounts {
		if !accountID.MatchString(a) {
			errs = append(errs, fmt.Errorf("account %q: want 12 digits", a))
		}
	}
	for _, r := range opts.Regions {
		if !regionName.MatchString(r) {
			errs = append(errs, fmt.Errorf("region %q: want a Region name such as us-east-1", r))
		}
	}
	filters := Plan(rows, opts)
	wheres := make([]string, len(filters))
	for i, f := range filters {
		w, err := Where(f.Pattern)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.Name, err))
			continue
		}
		wheres[i] = w
	}
	if len(errs) > 0 {
		return "", errors.Join(errs...)
	}

	return render(table, rows, filters, wheres, partitionWhere(opts), timeWhere(opts)), nil
}

// eventSeconds is eventTime as Unix seconds, or NULL when it is not the RFC 3339 form replay reads
// (CloudTrail writes 2024-05-01T12:34:56Z) or falls outside the times replay places in periods,
// 1970-01-01T00:00:00Z to 9998-12-31T23:59:59Z (internal/replay/eventtime.go); try() turns an
// impossible date into NULL as well.
const eventSeconds = `CASE WHEN regexp_like(eventtime, '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-5][0-9](\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$') ` +
	`AND try(` + unixSeconds + `) BETWEEN 0 AND 253370764799 THEN try(` + unixSeconds + `) END`

const unixSeconds = `CAST(floor(to_unixtime(from_iso8601_timestamp(eventtime))) AS BIGINT)`

// principalExpr names who acted, as replay does: userIdentity.arn; for AWS services the service
// (invokedBy); otherwise type:userName, type:principalId or type:accountId, or the type alone.
const principalExpr = `CASE WHEN useridentity IS NULL THEN '(no userIdentity)' ` +
	`WHEN COALESCE(useridentity.arn, '') <> '' THEN useridentity.arn ` +
	`WHEN COALESCE(useridentity.invokedby, '') <> '' THEN useridentity.invokedby ` +
	`ELSE COALESCE(NULLIF(useridentity.type, ''), 'unknown') || COALESCE(':' || COALESCE(NULLIF(useridentity.username, ''), NULLIF(useridentity.principalid, ''), NULLIF(useridentity.accountid, '')), '') END`

var (
	accountID  = regexp.MustCompile(`^[0-9]{12}$`)
	regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
)

// partitionWhere prunes partitions: days, and for an organization table accounts and Regions.
func partitionWhere(o Options) string {
	var conds []string
	const day = "2006/01/02"
	switch {
	case !o.Since.IsZero() && !o.Until.IsZero():
		conds = append(conds, fmt.Sprintf(`"timestamp" BETWEEN '%s' AND '%s'`, o.Since.UTC().AddDate(0, 0, -1).Format(day), o.Until.UTC().AddDate(0, 0, 1).Format(day)))
	case !o.Since.IsZero():
		conds = append(conds, fmt.Sprintf(`"timestamp" >= '%s'`, o.Since.UTC().AddDate(0, 0, -1).Format(day)))
	case !o.Until.IsZero():
		conds = append(conds, fmt.Sprintf(`"timestamp" <= '%s'`, o.Until.UTC().AddDate(0, 0, 1).Format(day)))
	}
	if len(o.Accounts) > 0 {
		conds = append(conds, "account IN ("+quoteAll(o.Accounts)+")")
	}
	if len(o.Regions) > 0 {
		conds = append(conds, "region IN ("+quoteAll(o.Regions)+")")
	}
	return strings.Join(conds, " AND ")
}

// timeWhere keeps the records whose eventTime is in [Since, Until).
func timeWhere(o Options) string {
	var conds []string
	if !o.Since.IsZero() {
		conds = append(conds, fmt.Sprintf("t >= %d", o.Since.Unix()))
	}
	if !o.Until.IsZero() {
		conds = append(conds, fmt.Sprintf("t < %d", o.Until.Unix()))
	}
	return strings.Join(conds, " AND ")
}

func quoteAll(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = quote(v)
	}
	return strings.Join(q, ", ")
}

func list(prefix string, n int, sep string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return strings.Join(parts, sep)
}

// render writes the query. Innermost first: e reads the table once, computing eventTime seconds,
// the report's principal / event name / source IP and every pattern's WHERE expression; f keeps a
// filter's match only for a record with a usable eventTime (as replay); g adds each alarm's "any
// of its filters" and the grouping keys of matched records; the outer GROUP BY GROUPING SETS folds
// everything in one pass.
func render(table string, rows []catalog.Alarm, filters []Filter, wheres []string, partition, bounds string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- trailwatch replay: %d alarms, %d filters, one scan of %s (docs/athena.md).\n", len(rows), len(filters), table)
	for i, f := range filters {
		fmt.Fprintf(&b, "-- f%d = %s (r%d, period %d s): %s\n", i, f.Name, f.Alarm, f.Period, strings.Join(strings.Fields(f.Pattern), " "))
	}
	b.WriteString("SELECT\n")
	b.WriteString("  CASE grouping(bucket, principal, event_name, source_ip) WHEN 15 THEN 'total' WHEN 7 THEN 'minute' WHEN 11 THEN 'principal' WHEN 13 THEN 'event_name' ELSE 'source_ip' END AS kind,\n")
	b.WriteString("  bucket,\n  COALESCE(principal, event_name, source_ip) AS key,\n")
	b.WriteString("  count(*) AS records,\n  count_if(t IS NULL) AS bad_time,\n  min(t) AS min_time,\n  max(t) AS max_time")
	for i := range filters {
		fmt.Fprintf(&b, ",\n  count_if(f%d) AS f%d", i, i)
	}
	for j := range rows {
		fmt.Fprintf(&b, ",\n  count_if(r%d) AS r%d, min(CASE WHEN r%d THEN t END) AS r%d_first, max(CASE WHEN r%d THEN t END) AS r%d_last", j, j, j, j, j, j)
	}
	b.WriteString("\nFROM (\n  SELECT t, hit, " + list("f", len(filters), ", "))
	for j := range rows {
		var any []string
		for i, f := range filters {
			if f.Alarm == j {
				any = append(any, fmt.Sprintf("f%d", i))
			}
		}
		fmt.Fprintf(&b, ",\n    (%s) AS r%d", strings.Join(any, " OR "), j)
	}
	b.WriteString(",\n    CASE WHEN hit THEN CAST(floor(t / 60) AS BIGINT) * 60 END AS bucket")
	b.WriteString(",\n    CASE WHEN hit THEN p END AS principal")
	b.WriteString(",\n    CASE WHEN hit THEN n END AS event_name")
	b.WriteString(",\n    CASE WHEN hit THEN ip END AS source_ip")
	b.WriteString("\n  FROM (\n    SELECT t, p, n, ip, " + list("f", len(filters), ", ") + ", (" + list("f", len(filters), " OR ") + ") AS hit")
	b.WriteString("\n    FROM (\n      SELECT t, p, n, ip")
	for i := range filters {
		fmt.Fprintf(&b, ", (t IS NOT NULL AND w%d) AS f%d", i, i)
	}
	b.WriteString("\n      FROM (\n        SELECT\n")
	b.WriteString("          " + eventSeconds + " AS t,\n")
	b.WriteString("          " + principalExpr + " AS p,\n")
	b.WriteString("          COALESCE(NULLIF(eventname, ''), '(none)') AS n,\n")
	b.WriteString("          COALESCE(NULLIF(sourceipaddress, ''), '(none)') AS ip")
	for i := range filters {
		fmt.Fprintf(&b, ",\n          %s AS w%d", wheres[i], i)
	}
	b.WriteString("\n        FROM " + table)
	if partition != "" {
		b.WriteString("\n        WHERE " + partition)
	}
	b.WriteString("\n      ) AS e")
	if bounds != "" {
		b.WriteString("\n      WHERE " + bounds)
	}
	b.WriteString("\n    ) AS f\n  ) AS g\n) AS h\n")
	b.WriteString("GROUP BY GROUPING SETS ((), (bucket), (principal), (event_name), (source_ip))\n")
	b.WriteString("HAVING grouping(bucket, principal, event_name, source_ip) = 15 OR count_if(hit) > 0\n")
	b.WriteString("ORDER BY kind, bucket, key\n")
	return b.String()
}
