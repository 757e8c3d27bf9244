package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/trailwatch/trailwatch/internal/replay"
)

const stamp = "2006-01-02 15:04:05Z"

// writeTable prints the report for people: totals, a one-line-per-alarm table, then details for
// each alarm that matched anything.
func writeTable(out io.Writer, rep *replay.Report) {
	t := rep.Totals
	fmt.Fprintf(out, "Replayed %s records from %s files (%s read)", group(t.RecordsRead), group(t.FilesRead), size(t.BytesRead))
	if t.FirstEvent != nil {
		fmt.Fprintf(out, ", %s .. %s", t.FirstEvent.Format(stamp), t.LastEvent.Format(stamp))
	}
	fmt.Fprintln(out, ".")
	if t.RecordsOutsideRange > 0 {
		fmt.Fprintf(out, "Left out %s records outside --since/--until.\n", group(t.RecordsOutsideRange))
	}
	if t.RecordsSkipped > 0 {
		var reasons []string
		for r, n := range t.SkippedByReason {
			reasons = append(reasons, fmt.Sprintf("%s %d", r, n))
		}
		sort.Strings(reasons)
		fmt.Fprintf(out, "Skipped %s (%s):\n", group(t.RecordsSkipped), strings.Join(reasons, ", "))
		for _, p := range t.Skipped {
			fmt.Fprintf(out, "  %s\n", printable(p.String()))
		}
		if int64(len(t.Skipped)) < t.RecordsSkipped {
			fmt.Fprintf(out, "  ... and %s more\n", group(t.RecordsSkipped-int64(len(t.Skipped))))
		}
	}
	if t.IgnoredCount > 0 {
		fmt.Fprintf(out, "Ignored %s inputs holding no records or named twice", group(t.IgnoredCount))
		if len(t.Ignored) > 0 {
			fmt.Fprintf(out, " (e.g. %s: %s)", printable(t.Ignored[0].File), printable(t.Ignored[0].Reason))
		}
		fmt.Fprintln(out, ".")
	}
	fmt.Fprintln(out)

	tw := tabwriter.NewWriter(out,
		0, // minwidth: no use, as every column has a header
		0, // tabwidth: no use, as padding is with spaces
		2, ' ', 0)
	fmt.Fprintln(tw, "ALARM\tNAME\tCONDITION\tMATCHES\tALARM PERIODS\tEPISODES\tFIRST MATCH\tLAST MATCH")
	for _, a := range rep.Alarms {
		name, ruleText := "-", "(no alarm: matches only)"
		periods, episodes := "-", "-"
		if a.Alarm != nil {
			name = printable(a.Alarm.Name)
			ruleText = rule(a.Alarm)
			periods, episodes = group(a.AlarmPeriodCount), strconv.Itoa(a.EpisodeCount)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", printable(a.ID), name, ruleText, group(a.Matches), periods, episodes, when(a.FirstMatch), when(a.LastMatch))
	}
	tw.Flush()

	for _, a := range rep.Alarms {
		if a.Matches == 0 {
			continue
		}
		fmt.Fprintf(out, "\n%s", printable(a.ID))
		if a.Alarm != nil {
			fmt.Fprintf(out, " (%s: %s)", printable(a.Alarm.Name), rule(a.Alarm))
		}
		fmt.Fprintf(out, ": %s match%s\n", group(a.Matches), map[bool]string{true: "", false: "es"}[a.Matches == 1])
		if len(a.Episodes) > 0 {
			fmt.Fprintf(out, "  ALARM episodes (%d):\n", a.EpisodeCount)
			for i, e := range a.Episodes {
				if i == 5 {
					fmt.Fprintf(out, "    ... and %d more\n", a.EpisodeCount-5)
					break
				}
				peak := ""
				if e.Peak != nil {
					peak = ", peak " + strconv.FormatFloat(*e.Peak, 'f', -1, 64)
				}
				fmt.Fprintf(out, "    %s .. %s (%d period%s%s)\n", e.Start.Format(stamp), e.End.Format(stamp), e.Periods, plural(e.Periods), peak)
			}
		}
		approx := ""
		if a.TopCountErrorBound > 0 {
			approx = fmt.Sprintf(" (approximate: counts may be over by up to %d)", a.TopCountErrorBound)
		}
		fmt.Fprintf(out, "  top principals%s: %s\n", approx, counts(a.TopPrincipals))
		fmt.Fprintf(out, "  top event names: %s\n", counts(a.TopEventNames))
		fmt.Fprintf(out, "  top source IPs: %s\n", counts(a.TopSourceIPs))
	}
}

// rule states the alarm condition the way the CloudWatch console does.
func rule(a *replay.Alarm) string {
	op := map[replay.Comparison]string{
		replay.GreaterOrEqual: ">=", replay.Greater: ">", replay.Less: "<", replay.LessOrEqual: "<=",
	}[a.Comparison]
	return fmt.Sprintf("%s %s %s per %ds, %d of %d", a.Statistic, op, strconv.FormatFloat(a.Threshold, 'f', -1, 64), a.Period, a.DatapointsToAlarm, a.EvaluationPeriods)
}

func counts(cs []replay.Count) string {
	if len(cs) == 0 {
		return "-"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s (%s)", printable(c.Value), group(c.Count))
	}
	return strings.Join(parts, ", ")
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(stamp)
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// group writes n with thousands separators.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	pre := len(s) % 3
	b.WriteString(s[:pre])
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
