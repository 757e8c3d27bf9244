package athena

import "strings"

// trinoRegex rewrites the engine's RE2 form of a %regex% (filterpattern.Cond.Regex) for Trino's
// regexp_like, which runs Joni (Ruby's Oniguruma) with Java syntax by default, or RE2J.
//
// The engine's RE2 text uses only: literal ASCII characters and backslash-escaped operators,
// classes [...] and [^...] of ASCII characters and ranges, \t \n inside classes, \x{hh}, the
// quantifiers ? * + {m} {m,} {m,n}, '|', and '^' '$' anchoring the whole value. All of these mean
// the same in Java syntax and RE2 except three, rewritten here:
//   - '^' outside a class: the whole value's start in RE2; written \A, which means that in Java,
//     Joni and RE2 alike;
//   - '$' outside a class: the whole value's end in RE2, but in Java syntax also just before a
//     final newline; written \z, the absolute end in all three;
//   - \x{hh}: written \xhh, the form all three accept.
//
// '.' never reaches here bare (the engine spells it [^\n]), so no engine's dot-all setting matters;
// there are no groups, backreferences, lazy or possessive quantifiers, and no multi-byte
// characters in the pattern (the engine rejects them), so Java's class syntax extensions ([a&&b],
// nested classes) cannot appear.
func trinoRegex(re2 string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(re2); i++ {
		c := re2[i]
		switch {
		case c == '\\' && i+1 < len(re2):
			if strings.HasPrefix(re2[i:], `\x{`) {
				end := strings.IndexByte(re2[i:], '}')
				b.WriteString(`\x` + re2[i+3:i+end])
				i += end
				continue
			}
			b.WriteString(re2[i : i+2])
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
		case c == '[':
			// A '^' right after '[' is the negation: the class branch above writes it as it is.
			// (The engine never writes a bare ']' first in a class.)
			inClass = true
			b.WriteByte(c)
		case c == '^':
			b.WriteString(`\A`)
		case c == '$':
			b.WriteString(`\z`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
