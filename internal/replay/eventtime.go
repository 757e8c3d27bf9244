package replay

import (
	"time"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// parseEventTime reads a CloudTrail eventTime ("2024-05-01T12:34:56Z") as Unix seconds. The fixed
// layout CloudTrail writes is parsed by hand because it is read for every record; anything else
// falls back to RFC 3339.
func parseEventTime(raw []byte) (int64, bool) {
	if len(raw) == 22 && raw[0] == '"' && raw[21] == '"' {
		if t, ok := fastUTC(raw[1:21]); ok {
			return t, true
		}
	}
	s, ok := cloudtrail.StringValue(raw)
	if !ok {
		return 0, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, false
	}
	return inRange(t.Unix())
}

// The eventTimes replay accepts: from the Unix epoch (CloudWatch aligns periods on it) to the end
// of 9998, so every period, up to 7 days long, starts and ends in a year RFC 3339 can write (a
// report with a period ending in year 10000 cannot be printed as JSON).
const (
	minEventTime = 0            // 1970-01-01T00:00:00Z
	maxEventTime = 253370764799 // 9998-12-31T23:59:59Z
)

func inRange(t int64) (int64, bool) { return t, t >= minEventTime && t <= maxEventTime }

// daysIn is the number of days in month mo of year y.
func daysIn(y, mo int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// fastUTC parses exactly YYYY-MM-DDTHH:MM:SSZ.
func fastUTC(b []byte) (int64, bool) {
	if len(b) != 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[19] != 'Z' {
		return 0, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	s, ok6 := num(17, 2)
	// The same ranges time.Parse enforces: 2026-02-31 is an error, not March 3rd.
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59 {
		return 0, false
	}
	return inRange(time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC).Unix())
}
