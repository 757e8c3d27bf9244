package notify

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field limits. CloudTrail fields come from callers (user agents, request parameters, error
// messages), so each is cleaned and capped: an event block stays a few KB and the message stays far
// below SNS's 256 KB (262,144 bytes) Publish limit whatever the records hold.
const (
	maxField     = 300 // runes of one shown value
	maxParams    = 600 // runes of one request-parameter value (JSON)
	maxSubject   = 99  // SNS: "less than 100 characters"
	listedEvents = 20
)

// maxMessage caps an email's body, well below SNS's Publish limit. The field caps keep a body far
// smaller; tests lower it to try the cut.
var maxMessage = 200 << 10

// clean makes an untrusted string safe for one line of a plain-text email: invalid UTF-8 becomes
// U+FFFD; line breaks, other control characters and the invisible format characters that can
// reorder or hide text (bidi overrides, zero-width) are written as escapes, so a value can never
// start a line of its own; the result is cut to max runes, saying how much was left out.
func clean(s string, max int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	n := 0
	for i, r := range s {
		if n >= max {
			fmt.Fprintf(&b, "…(+%d bytes)", len(s)-i)
			break
		}
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
		n++
	}
	return b.String()
}

// asciiSubject keeps printable ASCII only (SNS subjects: no line breaks or control characters, fewer
// than 100 characters; non-ASCII is not delivered as-is to every email endpoint), collapsing
// anything else to "?".
func asciiSubject(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x20 && r < 0x7f {
			b.WriteRune(r)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// cutASCII shortens an ASCII string to n bytes (n >= 2; the subject asks 12 or more), marking
// the cut with "..".
func cutASCII(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-2] + ".."
}
