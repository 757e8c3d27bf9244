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
	return t.Unix(), true
}

// fastUTC parses exactly YYYY-MM-DDTHH:MM:SSZ.
func fastUTC(b []byte) (int64, bool) {
	if b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[19] != 'Z' {
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
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return 0, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC).Unix(), true
}
