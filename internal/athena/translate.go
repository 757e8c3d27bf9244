// Package athena translates CloudWatch Logs filter patterns into Trino SQL (Amazon Athena engine
// version 3) over the CloudTrail table of the Athena user guide, and builds the one query that
// replays every selected alarm over an organization's history while scanning the data once.
//
// The translation is exact or refused: a pattern's SQL is true for a row exactly when
// pkg/filterpattern matches the CloudTrail record the row was read from, under the table model of
// docs/athena.md; every construct the model cannot decide is refused with a *RefusalError that
// names it. docs/athena.md lists each rule.
package athena

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// ErrRefused is matched (errors.Is) by every *RefusalError.
var ErrRefused = errors.New("athena: not translated")

// RefusalError says why a pattern has no exact SQL translation. Construct is a short, stable name
// of what was refused (for coverage counts); Msg says which selector and why.
type RefusalError struct {
	Construct string
	Msg       string
}

func (e *RefusalError) Error() string { return "not translated to SQL: " + e.Msg }

// Is makes errors.Is(err, ErrRefused) true.
func (e *RefusalError) Is(target error) bool { return target == ErrRefused }

// The refused constructs, as RefusalError.Construct names them.
const (
	RefuseNotColumn    = "field not in the table"
	RefuseCaseFolded   = "field spelled in another case"
	RefuseNullOnColumn = "IS NULL on a typed or JSON-text column"
	RefuseExistsOnText = "NOT EXISTS on a JSON-text column"
	RefuseCompareText  = "comparison on a JSON-text column itself"
	RefuseMap          = "map field"
	RefuseBadStep      = "index on a struct, name on an array, or step below a string"
	RefuseKeyQuote     = "key with '\"' or '\\'"
	RefuseWideNumber   = "number beyond double precision"
	RefuseTermPattern  = "not a JSON pattern"
)

func refuse(construct, format string, args ...any) error {
	return &RefusalError{Construct: construct, Msg: fmt.Sprintf(format, args...)}
}

// Where translates a filter pattern into a SQL boolean expression over one row of the CloudTrail
// table. The expression is never NULL. The empty pattern gives TRUE.
func Where(pattern string) (string, error) {
	p, err := filterpattern.Parse(pattern)
	if err != nil {
		return "", refuse(RefuseTermPattern, "the engine rejects the pattern: %v", err)
	}
	root, ok := p.Expr()
	if !ok {
		return "TRUE", nil
	}
	return expr(root)
}

func expr(e filterpattern.Expr) (string, error) {
	switch e.Kind() {
	case filterpattern.ExprCond:
		return condition(e.Cond())
	case filterpattern.ExprAnd:
		return join(e.Operands(), " AND ")
	}
	return orList(e.Operands())
}

func join(es []filterpattern.Expr, sep string) (string, error) {
	parts, err := exprs(es)
	if err != nil {
		return "", err
	}
	return "(" + strings.Join(parts, sep) + ")", nil
}

// exprs translates each operand, in order, and reports every operand's error, not only the first.
func exprs(es []filterpattern.Expr) ([]string, error) {
	parts := make([]string, 0, len(es))
	var errs []error
	for _, k := range es {
		s, err := expr(k)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		parts = append(parts, s)
	}
	return parts, errors.Join(errs...)
}

// orList writes an ||. Exact '=' comparisons of one typed string column (AWS's alarms list up to
// eleven eventName values) become one IN list, which reads better and evaluates the same: a
// NULL column makes IN NULL, which COALESCE turns into FALSE like each '='.
func orList(es []filterpattern.Expr) (string, error) {
	var rest []filterpattern.Expr
	in := map[string][]string{}
	var order []string
	for _, k := range es {
		if k.Kind() == filterpattern.ExprCond {
			if col, ok := exactTyped(k.Cond()); ok {
				if in[col] == nil {
					order = append(order, col)
				}
				in[col] = append(in[col], quote(k.Cond().Text()))
				continue
			}
		}
		rest = append(rest, k)
	}
	parts, err := exprs(rest)
	if err != nil {
		return "", err
	}
	var head []string
	for _, col := range order {
		vals := in[col]
		if len(vals) == 1 {
			head = append(head, "COALESCE("+col+" = "+vals[0]+", FALSE)")
			continue
		}
		head = append(head, "COALESCE("+col+" IN ("+strings.Join(vals, ", ")+"), FALSE)")
	}
	return "(" + strings.Join(append(head, parts...), " OR ") + ")", nil
}

// exactTyped reports a plain "selector = string" on a typed string column, and the column.
func exactTyped(c filterpattern.Cond) (string, bool) {
	if c.Op() != filterpattern.OpEq || c.Operand() != filterpattern.OperandString {
		return "", false
	}
	if lead, trail := c.Wildcards(); lead || trail {
		return "", false
	}
	t, err := resolve(c.Path())
	if err != nil || t.json != nil || t.leaf.kind != kString {
		return "", false
	}
	return t.sql, true
}

// target is where a selector lands in the table: a typed column or struct field (sql, leaf), or a
// JSON path inside a JSON-text column (json != nil).
type target struct {
	sql  string
	leaf *field
	sel  string               // the selector as written, for messages
	json []filterpattern.Step // steps below the JSON-text column leaf
}

func selText(path []filterpattern.Step) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range path {
		switch {
		case s.IsIndex:
			fmt.Fprintf(&b, "[%d]", s.Index)
		case isPlainName(s.Name):
			b.WriteString("." + s.Name)
		default:
			b.WriteString(".['" + s.Name + "']")
		}
	}
	return b.String()
}

func isPlainName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return s != ""
}

// resolve walks a selector through the table's columns.
func resolve(path []filterpattern.Step) (target, error) {
	sel := selText(path)
	t := target{sel: sel}
	fields := columns
	var cur *field
	for i, s := range path {
		if cur != nil {
			switch cur.kind {
			case kJSON:
				t.json = path[i:]
				if t.json[0].IsIndex {
					return t, refuse(RefuseBadStep, "%s: %s holds a JSON object, so an index selects nothing there", sel, cur.json)
				}
				return t, nil
			case kArray:
				if !s.IsIndex {
					return t, refuse(RefuseBadStep, "%s: %s is an array; only an index selects in it", sel, cur.json)
				}
				t.sql = fmt.Sprintf("element_at(%s, %d)", t.sql, s.Index+1)
				cur = &field{json: cur.json + fmt.Sprintf("[%d]", s.Index), kind: kStruct, kids: cur.kids}
				fields = cur.kids
				continue
			case kStruct:
				if s.IsIndex {
					return t, refuse(RefuseBadStep, "%s: %s is an object; an index selects nothing in it", sel, cur.json)
				}
			case kMap:
				return t, refuse(RefuseMap, "%s: %s is a MAP<STRING,STRING> column, whose keys the table lower-cases", sel, cur.json)
			default:
				return t, refuse(RefuseBadStep, "%s: %s holds a string; nothing lies below it", sel, cur.json)
			}
		}
		// The first step is a name: the engine's parser rejects an index right after '$'.
		f, folded := lookup(fields, s.Name)
		if f == nil {
			if folded != nil {
				return t, refuse(RefuseCaseFolded, "%s: the table's column %s is matched without regard to case, but the pattern selects %q, not CloudTrail's %q", sel, folded.sql, s.Name, folded.json)
			}
			return t, refuse(RefuseNotColumn, "%s: the CloudTrail table has no column for %q (docs/athena.md lists the columns)", sel, s.Name)
		}
		if cur == nil {
			t.sql = f.sql
		} else {
			t.sql += "." + f.sql
		}
		cur = f
		fields = f.kids
	}
	if cur.kind == kMap {
		return t, refuse(RefuseMap, "%s is a MAP<STRING,STRING> column, whose keys the table lower-cases", sel)
	}
	t.leaf = cur
	return t, nil
}

func condition(c filterpattern.Cond) (string, error) {
	t, err := resolve(c.Path())
	if err != nil {
		return "", err
	}
	if c.Operand() == filterpattern.OperandNumber && !safeNumber(c.Text()) {
		return "", refuse(RefuseWideNumber, "%s %s %s: the number has more than 15 significant digits or an exponent beyond ±290, so a DOUBLE comparison could differ from the engine's exact decimal one", t.sel, c.Op(), c.Text())
	}
	if t.json != nil {
		return jsonCondition(t, c)
	}
	return typedCondition(t, c)
}

// typedCondition translates a condition on a typed column or struct field. The SerDe stores a
// missing field and a JSON null alike as SQL NULL; CloudTrail writes typed fields as the types of
// the table model (docs/athena.md) and leaves them out rather than writing null.
func typedCondition(t target, c filterpattern.Cond) (string, error) {
	col := t.sql
	switch c.Op() {
	case filterpattern.OpNotExists:
		if t.leaf.kind == kJSON {
			return "", refuse(RefuseExistsOnText, "%s NOT EXISTS: CloudTrail writes %s as null as well as leaving it out, and the table stores both as NULL", t.sel, t.leaf.json)
		}
		return "(" + col + " IS NULL)", nil
	case filterpattern.OpIsNull:
		return "", refuse(RefuseNullOnColumn, "%s IS NULL: the table stores a JSON null and a missing field alike as NULL", t.sel)
	case filterpattern.OpIsTrue, filterpattern.OpIsFalse:
		if t.leaf.kind != kBool {
			return "FALSE", nil // a string, object or array is never the literal true/false
		}
		lit := "'true'"
		if c.Op() == filterpattern.OpIsFalse {
			lit = "'false'"
		}
		return "COALESCE(" + col + " = " + lit + ", FALSE)", nil
	}
	switch t.leaf.kind {
	case kString:
	case kJSON:
		return "", refuse(RefuseCompareText, "%s %s ...: %s is stored as JSON text; compare a field below it", t.sel, c.Op(), t.leaf.json)
	default:
		// booleans, objects and arrays fail every comparison (SEMANTICS.md).
		return "FALSE", nil
	}
	if c.Operand() == filterpattern.OperandNumber {
		// A number against a JSON string compares by text, with = and != only.
		switch c.Op() {
		case filterpattern.OpEq:
			return "COALESCE(" + col + " = " + quote(c.Text()) + ", FALSE)", nil
		case filterpattern.OpNe:
			return "COALESCE(" + col + " <> " + quote(c.Text()) + ", FALSE)", nil
		}
		return "FALSE", nil
	}
	test := textTest(col, c)
	if c.Op() == filterpattern.OpNe {
		test = "NOT " + test
	}
	return "COALESCE(" + test + ", FALSE)", nil
}

// textTest is the SQL test of a string, wildcard or regex operand against the text s (a VARCHAR
// expression); NULL when s is NULL.
func textTest(s string, c filterpattern.Cond) string {
	if c.Operand() == filterpattern.OperandRegex {
		return "regexp_like(" + s + ", " + quote(trinoRegex(c.Regex())) + ")"
	}
	lead, trail := c.Wildcards()
	text := c.Text()
	switch {
	case !lead && !trail:
		return "(" + s + " = " + quote(text) + ")"
	case text == "":
		// * (or **): any string or number. LIKE, not IS NOT NULL, so that the test stays NULL on
		// NULL and NOT (for !=) cannot turn a missing value into a match.
		return "(" + s + " LIKE '%')"
	}
	pat := likeEscape(text)
	if lead {
		pat = "%" + pat
	}
	if trail {
		pat += "%"
	}
	return "(" + s + " LIKE " + quote(pat) + " ESCAPE '\\')"
}

// likeEscape escapes LIKE's wildcards and its escape character.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// quote writes a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// jsonCondition translates a condition on a field inside a JSON-text column with Trino's JSON
// functions: json_extract gives the JSON value (NULL when the path reaches nothing),
// json_format its JSON text, whose first character tells its type, and json_extract_scalar the
// text of a string or number.
func jsonCondition(t target, c filterpattern.Cond) (string, error) {
	path, reach, err := jsonPath(t)
	if err != nil {
		return "", err
	}
	j := "json_extract(" + t.sql + ", " + quote(path) + ")"
	f := "json_format(" + j + ")"
	s := "json_extract_scalar(" + t.sql + ", " + quote(path) + ")"
	guard := func(x string) string {
		if reach == "" {
			return x
		}
		return "(" + reach + " AND " + x + ")"
	}
	switch c.Op() {
	case filterpattern.OpNotExists:
		if reach == "" {
			return "(" + j + " IS NULL)", nil
		}
		return "(" + j + " IS NULL OR NOT " + reach + ")", nil
	case filterpattern.OpIsNull:
		return "COALESCE(" + guard(f+" = 'null'") + ", FALSE)", nil
	case filterpattern.OpIsTrue:
		return "COALESCE(" + guard(f+" = 'true'") + ", FALSE)", nil
	case filterpattern.OpIsFalse:
		return "COALESCE(" + guard(f+" = 'false'") + ", FALSE)", nil
	}
	isString := "(" + f + " LIKE '\"%')"
	isNumber := "regexp_like(" + f + ", '^-?[0-9]')"
	if c.Operand() == filterpattern.OperandNumber {
		var x string
		switch c.Op() {
		case filterpattern.OpEq:
			x = "((" + isString + " AND " + s + " = " + quote(c.Text()) + ") OR (" + isNumber + " AND TRY_CAST(" + s + " AS DOUBLE) = " + double(c.Text()) + "))"
		case filterpattern.OpNe:
			x = "((" + isString + " AND " + s + " <> " + quote(c.Text()) + ") OR (" + isNumber + " AND TRY_CAST(" + s + " AS DOUBLE) <> " + double(c.Text()) + "))"
		default:
			x = "(" + isNumber + " AND TRY_CAST(" + s + " AS DOUBLE) " + c.Op().String() + " " + double(c.Text()) + ")"
		}
		return "COALESCE(" + guard(x) + ", FALSE)", nil
	}
	test := textTest(s, c)
	if c.Op() == filterpattern.OpNe {
		test = "NOT " + test
	}
	// json_extract_scalar also gives the text of true and false; those are not value nodes, so
	// they are excluded whenever the operand could accept their text (and always for !=).
	if c.Op() == filterpattern.OpNe || c.MatchesText("true") || c.MatchesText("false") {
		test = "(" + f + " NOT IN ('true', 'false') AND " + test + ")"
	}
	return "COALESCE(" + guard(test) + ", FALSE)", nil
}

// jsonPath writes the Trino JSON path of t's steps, every name in the bracket form $["name"] so
// that no key needs Trino's unquoted-name rules. Trino's path steps do not tell an array index from
// an object key ($[0] reads the key "0" of an object, $["0"] element 0 of an array), while the
// engine does, so reach checks the parent's type before each index and each all-digit name.
func jsonPath(t target) (path, reach string, err error) {
	var b strings.Builder
	b.WriteString("$")
	var checks []string
	for _, s := range t.json {
		parent := b.String()
		if s.IsIndex {
			fmt.Fprintf(&b, "[%d]", s.Index)
			checks = append(checks, "json_format(json_extract("+t.sql+", "+quote(parent)+")) LIKE '[%'")
			continue
		}
		if strings.ContainsAny(s.Name, `"\`) {
			return "", "", refuse(RefuseKeyQuote, "%s: the key %q holds a quote or backslash, which Trino's JSON path does not escape in a documented way", t.sel, s.Name)
		}
		if allDigits(s.Name) && parent != "$" {
			checks = append(checks, "json_format(json_extract("+t.sql+", "+quote(parent)+")) LIKE '{%'")
		}
		b.WriteString(`["` + s.Name + `"]`)
	}
	if len(checks) > 0 {
		reach = "(" + strings.Join(checks, " AND ") + ")"
	}
	return b.String(), reach, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// safeNumber reports a number whose DOUBLE value orders exactly like its decimal value against
// every JSON number of at most 15 significant digits: at most 15 significant digits itself and a
// decimal exponent within ±290, so that it neither overflows nor loses digits.
func safeNumber(s string) bool {
	mant, expText, hasExp := strings.Cut(strings.ToLower(s), "e")
	exp := 0
	if hasExp {
		e, err := strconv.Atoi(strings.TrimPrefix(expText, "+"))
		if err != nil {
			return false
		}
		exp = e
	}
	mant = strings.TrimLeft(mant, "+-")
	intd, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(intd+frac, "0")
	digits = strings.TrimRight(digits, "0")
	if len(digits) > 15 {
		return false
	}
	if digits == "" {
		return true // zero
	}
	// The value is 0.D × 10^mag, D the significant digits: mag counts the integer digits, or
	// the zeros after the point, negated, when there are none (0.001 is 0.1 × 10^-2).
	mag := exp + len(strings.TrimLeft(intd, "0"))
	if strings.TrimLeft(intd, "0") == "" {
		mag = exp - (len(frac) - len(strings.TrimLeft(frac, "0")))
	}
	return mag > -290 && mag <= 290
}

// double writes a number as a DOUBLE literal.
func double(s string) string {
	s = strings.TrimPrefix(s, "+")
	s = strings.ToUpper(s)
	if !strings.Contains(s, "E") {
		s += "E0"
	}
	return s
}
