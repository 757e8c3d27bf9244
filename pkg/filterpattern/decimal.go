package filterpattern

// decimal is a number exactly as written: sign, integer digits, fraction digits and exponent.
// Comparing two decimals is exact (no float64 rounding), so 9007199254740993 and
// 9007199254740992 differ and 1e400 is larger than 1e399. It refers into the text it was parsed
// from, so parsing a record's number allocates nothing.
type decimal struct {
	neg        bool
	intd, frac []byte
	exp        int64
}

// maxExp bounds exponents so arithmetic on them cannot overflow. Two numbers whose exponents both
// exceed it in the same direction compare by their digits alone; such numbers do not occur in logs.
const maxExp = 1 << 48

// parseDecimal reads [+-]?digits(.digits)?([eE][+-]?digits)? — the number grammar of filter
// patterns (SEMANTICS.md, from the CloudWatch Logs user guide), which contains JSON's. It reports false for anything else.
func parseDecimal(b []byte) (decimal, bool) {
	var d decimal
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		d.neg = b[i] == '-'
		i++
	}
	start := i
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	if i == start {
		return decimal{}, false
	}
	d.intd = b[start:i]
	if i < len(b) && b[i] == '.' {
		i++
		start = i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i == start {
			return decimal{}, false
		}
		d.frac = b[start:i]
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		neg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			neg = b[i] == '-'
			i++
		}
		start = i
		for i < len(b) && isDigit(b[i]) {
			if d.exp < maxExp {
				d.exp = d.exp*10 + int64(b[i]-'0')
			}
			i++
		}
		if i == start {
			return decimal{}, false
		}
		if d.exp > maxExp {
			d.exp = maxExp
		}
		if neg {
			d.exp = -d.exp
		}
	}
	return d, i == len(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digit returns the i-th digit of the integer digits followed by the fraction digits.
func (d *decimal) digit(i int) byte {
	if i < len(d.intd) {
		return d.intd[i]
	}
	return d.frac[i-len(d.intd)]
}

// normalize finds the significant digits [lo, hi) and the exponent e such that the magnitude is
// 0.D × 10^e, D being those digits. zero reports a value of zero (of either sign), whose digits
// and exponent no caller reads.
func (d *decimal) normalize() (lo, hi int, e int64, zero bool) {
	n := len(d.intd) + len(d.frac)
	for lo < n && d.digit(lo) == '0' {
		lo++
	}
	if lo == n {
		return lo, hi, e, true
	}
	hi = n
	for d.digit(hi-1) == '0' {
		hi--
	}
	return lo, hi, d.exp + int64(len(d.intd)-lo), false
}

// compareDecimal returns -1, 0 or +1 as a is less than, equal to or greater than b.
func compareDecimal(a, b *decimal) int {
	alo, ahi, ae, az := a.normalize()
	blo, bhi, be, bz := b.normalize()
	sa, sb := sign(a.neg, az), sign(b.neg, bz)
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	if ae != be {
		if ae < be {
			return -sa
		}
		return sa
	}
	return sa * compareDigits(a, alo, ahi, b, blo, bhi)
}

// compareDigits compares two runs of significant digits as fractions 0.D.
func compareDigits(a *decimal, alo, ahi int, b *decimal, blo, bhi int) int {
	for i := 0; ; i++ {
		aEnd, bEnd := alo+i >= ahi, blo+i >= bhi
		switch {
		case aEnd && bEnd:
			return 0
		case aEnd:
			return -1
		case bEnd:
			return 1
		}
		if da, db := a.digit(alo+i), b.digit(blo+i); da != db {
			if da < db {
				return -1
			}
			return 1
		}
	}
}

func sign(neg, zero bool) int {
	switch {
	case zero:
		return 0
	case neg:
		return -1
	}
	return 1
}
