package athena

import (
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// These pure-Go tests pin the SQL text of each rule and every refusal's message; the DuckDB tests
// (duckdb_test.go, differential_test.go) prove what the SQL means.

func TestWhereRules(t *testing.T) {
	for _, c := range []struct{ pattern, want string }{
		{``, `TRUE`},
		// Whole-value, case-sensitive equality; NULL (missing) gives FALSE through COALESCE.
		{`{ $.eventName = CreateVpc }`, `COALESCE((eventname = 'CreateVpc'), FALSE)`},
		// != is false for a missing field as well: NOT NULL is NULL, COALESCE makes it FALSE.
		{`{ $.eventType != "AwsServiceEvent" }`, `COALESCE(NOT (eventtype = 'AwsServiceEvent'), FALSE)`},
		// Wildcards become LIKE with LIKE's own characters escaped.
		{`{ $.errorCode = "*Unauthorized_Op%" }`, `COALESCE((errorcode LIKE '%Unauthorized\_Op\%' ESCAPE '\'), FALSE)`},
		{`{ $.errorCode = * }`, `COALESCE((errorcode LIKE '%'), FALSE)`},
		{`{ $.errorCode != * }`, `COALESCE(NOT (errorcode LIKE '%'), FALSE)`},
		// An || of exact values on one column is one IN list.
		{`{ ($.eventName = A) || ($.eventName = B) || $.eventSource = "it's" }`, `(COALESCE(eventname IN ('A', 'B'), FALSE) OR COALESCE(eventsource = 'it''s', FALSE))`},
		// Struct fields by CloudTrail's spelling, NOT EXISTS as IS NULL.
		{`{ $.userIdentity.sessionContext.sessionIssuer.userName NOT EXISTS }`, `(useridentity.sessioncontext.sessionissuer.username IS NULL)`},
		// Array elements: element_at is 1-based and NULL out of range.
		{`{ $.resources[1].ARN = x }`, `COALESCE((element_at(resources, 2).arn = 'x'), FALSE)`},
		// readOnly is a JSON boolean: only IS TRUE / IS FALSE hold; comparisons fail.
		{`{ $.readOnly IS FALSE }`, `COALESCE(readonly = 'false', FALSE)`},
		{`{ $.readOnly = true }`, `FALSE`},
		{`{ $.eventName IS TRUE }`, `FALSE`},
		// A number against a string column compares by text, = and != only.
		{`{ $.recipientAccountId = 123456789012 }`, `COALESCE(recipientaccountid = '123456789012', FALSE)`},
		{`{ $.recipientAccountId > 1 }`, `FALSE`},
		// Regex: ^ and $ become \A and \z, \x{hh} \xhh.
		{`{ $.eventName = %^Get\x41$% }`, `COALESCE(regexp_like(eventname, '\AGet\x41\z'), FALSE)`},
		// Inside a JSON-text column: JSON path in bracket form, JSON type from json_format.
		{`{ $.requestParameters.['a.b'] IS NULL }`, `COALESCE(json_format(json_extract(requestparameters, '$["a.b"]')) = 'null', FALSE)`},
		{`{ $.additionalEventData.MFAUsed NOT EXISTS }`, `(json_extract(additionaleventdata, '$["MFAUsed"]') IS NULL)`},
		{`{ $.responseElements.x > 2.5 }`, `COALESCE((regexp_like(json_format(json_extract(responseelements, '$["x"]')), '^-?[0-9]') AND TRY_CAST(json_extract_scalar(responseelements, '$["x"]') AS DOUBLE) > 2.5E0), FALSE)`},
		// A leading '+' is dropped from the DOUBLE literal, and the exponent is upper case.
		{`{ $.responseElements.x > +2.5e1 }`, `COALESCE((regexp_like(json_format(json_extract(responseelements, '$["x"]')), '^-?[0-9]') AND TRY_CAST(json_extract_scalar(responseelements, '$["x"]') AS DOUBLE) > 2.5E1), FALSE)`},
		// Booleans are excluded when the operand could read their text.
		{`{ $.requestParameters.f = t* }`, `COALESCE((json_format(json_extract(requestparameters, '$["f"]')) NOT IN ('true', 'false') AND (json_extract_scalar(requestparameters, '$["f"]') LIKE 't%' ESCAPE '\')), FALSE)`},
		{`{ $.requestParameters.f = x* }`, `COALESCE((json_extract_scalar(requestparameters, '$["f"]') LIKE 'x%' ESCAPE '\'), FALSE)`},
		// An index checks that its parent is an array; an all-digit name that its parent is an object.
		{`{ $.requestParameters.a[0].7 NOT EXISTS }`, `(json_extract(requestparameters, '$["a"][0]["7"]') IS NULL OR NOT (json_format(json_extract(requestparameters, '$["a"]')) LIKE '[%' AND json_format(json_extract(requestparameters, '$["a"][0]')) LIKE '{%'))`},
	} {
		got, err := Where(c.pattern)
		if err != nil {
			t.Errorf("Where(%q): %v", c.pattern, err)
			continue
		}
		if got != c.want {
			t.Errorf("Where(%q)\n got %s\nwant %s", c.pattern, got, c.want)
		}
	}
}

func TestWhereRefusesNamingTheConstruct(t *testing.T) {
	for _, c := range []struct{ pattern, construct, msg string }{
		{`{ $.foo = 1 }`, RefuseNotColumn, `$.foo: the CloudTrail table has no column for "foo"`},
		{`{ $.userIdentity.foo = 1 }`, RefuseNotColumn, `$.userIdentity.foo: the CloudTrail table has no column for "foo"`},
		{`{ $.eventname = CreateVpc }`, RefuseCaseFolded, `the pattern selects "eventname", not CloudTrail's "eventName"`},
		{`{ $.userIdentity.invokedBy IS NULL }`, RefuseNullOnColumn, `$.userIdentity.invokedBy IS NULL: the table stores a JSON null and a missing field alike as NULL`},
		{`{ $.requestParameters NOT EXISTS }`, RefuseExistsOnText, `$.requestParameters NOT EXISTS: CloudTrail writes requestParameters as null as well as leaving it out`},
		{`{ $.requestParameters = x }`, RefuseCompareText, `requestParameters is stored as JSON text; compare a field below it`},
		{`{ $.userIdentity.sessionContext.webIdFederationData.attributes.x = 1 }`, RefuseMap, `attributes is a MAP<STRING,STRING> column`},
		{`{ $.userIdentity[0] = 1 }`, RefuseBadStep, `userIdentity is an object; an index selects nothing in it`},
		{`{ $.resources.ARN = 1 }`, RefuseBadStep, `resources is an array; only an index selects in it`},
		{`{ $.eventName.x = 1 }`, RefuseBadStep, `eventName holds a string; nothing lies below it`},
		{`{ $.requestParameters[0] = 1 }`, RefuseBadStep, `requestParameters holds a JSON object, so an index selects nothing there`},
		{`{ $.requestParameters.['a"b'] = 1 }`, RefuseKeyQuote, `the key "a\"b" holds a quote or backslash`},
		{`{ $.requestParameters.n = 9007199254740993 }`, RefuseWideNumber, `more than 15 significant digits`},
		{`{ $.requestParameters.n < 1e300 }`, RefuseWideNumber, `exponent beyond ±290`},
		{`ERROR`, RefuseTermPattern, `the engine rejects the pattern: col 1: not supported: term patterns`},
	} {
		_, err := Where(c.pattern)
		var re *RefusalError
		if !errors.As(err, &re) || !errors.Is(err, ErrRefused) {
			t.Errorf("Where(%q) = %v, want a *RefusalError", c.pattern, err)
			continue
		}
		if re.Construct != c.construct || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "not translated to SQL: ") {
			t.Errorf("Where(%q):\n got %q (%s)\nwant %q (%s)", c.pattern, err, re.Construct, c.msg, c.construct)
		}
	}
}

func TestWhereReportsEveryRefusal(t *testing.T) {
	_, err := Where(`{ $.foo = 1 || $.bar = 2 && $.eventName = x }`)
	if err == nil || !strings.Contains(err.Error(), `"foo"`) || !strings.Contains(err.Error(), `"bar"`) {
		t.Errorf("got %v, want both $.foo and $.bar named", err)
	}
}

// A lone backslash at the end (no valid RE2 has one) is copied, not read past.
func TestTrinoRegexTrailingBackslash(t *testing.T) {
	for _, re := range []string{`a\`, `\`} {
		if got := trinoRegex(re); got != re {
			t.Errorf("trinoRegex(%q) = %q, want it unchanged", re, got)
		}
	}
}

func TestTrinoRegex(t *testing.T) {
	for _, c := range []struct{ re2, want string }{
		{`^a$`, `\Aa\z`},
		{`[^\n]`, `[^\n]`},       // '^' negating a class stays
		{`[$^]`, `[$^]`},         // inside a class '$' and '^' are literal
		{`\^\$`, `\^\$`},         // escaped operators stay
		{`a\x{3a}b`, `a\x3ab`},   // \x{hh} -> \xhh
		{`x|^y|z$`, `x|\Ay|z\z`}, // anchors in every branch
		{`[\t\n ]+`, `[\t\n ]+`}, // the guide's \s
		{`[0-9A-Za-z_]{2,5}`, `[0-9A-Za-z_]{2,5}`},
		{`[^^$]$`, `[^^$]\z`}, // a negated class of '^' and '$', then the end
	} {
		got := trinoRegex(c.re2)
		if got != c.want {
			t.Errorf("trinoRegex(%q) = %q, want %q", c.re2, got, c.want)
		}
		if _, err := regexp.Compile(got); err != nil {
			t.Errorf("trinoRegex(%q) = %q does not compile as RE2: %v", c.re2, got, err)
		}
	}
}

func TestSafeNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "-0": true, "+1": true, "123456789012345": true, "1234567890123456": false,
		"1.5": true, "0.000000000000001": true, "1e289": true, "1e290": false, "1e-289": true,
		"1e-300": false, "100000000000000000000": true, "1.0000000000000001": false, "0e999": true,
		"1e-290": true, "1e-291": false, "1E289": true, "1E290": false,
		// Without an exponent, the bound holds too: 1e290 and 1e-291 written out in full.
		"1" + strings.Repeat("0", 289): true, "1" + strings.Repeat("0", 290): false,
		"0." + strings.Repeat("0", 289) + "1": true, "0." + strings.Repeat("0", 290) + "1": false,
		"0.05e-288": true, "0.05e-289": false,
		"-0.0000000000000001": true, "-1e289": true, "+1e-289": true, "-1.5": true,
		"1E+5": true, "1e+290": false, "1e99999999999999999999": false, // an exponent beyond int is refused, not read as 0
	} {
		if got := safeNumber(s); got != want {
			t.Errorf("safeNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestColumnsAreTheDocumentedTable(t *testing.T) {
	got := strings.Join(Columns(), "\n")
	for _, want := range []string{
		"eventversion STRING",
		"requestparameters STRING",
		"readonly STRING",
		"resources ARRAY<STRUCT<\n  arn: STRING,\n  accountid: STRING,\n  type: STRING\n>>",
		"webidfederationdata: STRUCT<\n      federatedprovider: STRING,\n      attributes: MAP<STRING,STRING>\n    >",
		"tlsdetails STRUCT<\n  tlsversion: STRING,\n  ciphersuite: STRING,\n  clientprovidedhostheader: STRING\n>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Columns() lacks %q:\n%s", want, got)
		}
	}
	if n := len(Columns()); n != 29 {
		t.Errorf("%d columns, want the guide's 29", n)
	}
}

func TestSQLFailsOnBadOptions(t *testing.T) {
	rows := catalog.AWS()[:1]
	_, err := SQL(rows, Options{
		Table: "db.t; DROP", Period: 90, Accounts: []string{"12345"}, Regions: []string{"mars"},
		Since: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	for _, want := range []string{
		`table "db.t; DROP": want NAME or DATABASE.NAME`,
		`period 90 s: want a multiple of 60`,
		`account "12345": want 12 digits`,
		`region "mars": want a Region name`,
		`since 2024-02-01T00:00:00Z is not before until 2024-01-01T00:00:00Z`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("SQL error %v lacks %q", err, want)
		}
	}
}

func TestSQLFailsOnOrganizationTableWithoutAccounts(t *testing.T) {
	_, err := SQL(catalog.AWS(), Options{Organization: true})
	if err == nil || !strings.Contains(err.Error(), "an organization table reads only the accounts a query names") {
		t.Errorf("got %v", err)
	}
	if _, err := SQL(catalog.AWS(), Options{Organization: true, Accounts: []string{"111122223333"}}); err != nil {
		t.Errorf("with accounts: %v", err)
	}
}

func TestSQLFailsOnRefusedPattern(t *testing.T) {
	rows := []catalog.Alarm{{ID: "Odd", Pattern: `{ $.foo = 1 }`}}
	_, err := SQL(rows, Options{})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), `Odd: not translated to SQL: $.foo`) {
		t.Errorf("got %v", err)
	}
}

// TestSQLScansOnce: the table appears once, with the partition pruning and time bounds.
func TestSQLScansOnce(t *testing.T) {
	q, err := SQL(catalog.CIS(), Options{
		Table: "trail.cloudtrail", Accounts: []string{"111122223333"}, Regions: []string{"eu-west-1"},
		Since: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Athena API Reference, StartQueryExecution: QueryString "Maximum length of 262144".
	if len(q) > 262144 {
		t.Errorf("the query is %d bytes; Athena accepts at most 262144", len(q))
	}
	if n := strings.Count(q, "FROM trail.cloudtrail"); n != 1 {
		t.Errorf("the table is read %d times, want 1", n)
	}
	for _, want := range []string{
		`WHERE "timestamp" BETWEEN '2024/02/29' AND '2024/06/02' AND account IN ('111122223333') AND region IN ('eu-west-1')`,
		`WHERE t >= 1709251200 AND t < 1717200000`,
		`GROUP BY GROUPING SETS ((), (bucket), (principal), (event_name), (source_ip))`,
	} {
		if !strings.Contains(q, want) {
			t.Errorf("query lacks %s", want)
		}
	}
}

// TestDocumentedTableIsTheCode: docs/athena.md prints the columns exactly as Columns() gives them.
func TestDocumentedTableIsTheCode(t *testing.T) {
	doc, err := os.ReadFile("../../docs/athena.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := "(\n" + strings.Join(Columns(), ",\n") + "\n)\nPARTITIONED BY"; !strings.Contains(string(doc), want) {
		t.Errorf("docs/athena.md does not hold the table as Columns() writes it:\n%s", want)
	}
}

func TestGlueColumns(t *testing.T) {
	cols := GlueColumns()
	if len(cols) != len(Columns()) {
		t.Fatalf("%d Glue columns, %d DDL columns", len(cols), len(Columns()))
	}
	want := map[string]string{
		"eventname":  "string",
		"resources":  "array<struct<arn:string,accountid:string,type:string>>",
		"tlsdetails": "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>",
	}
	for _, c := range cols {
		if w, ok := want[c.Name]; ok && c.Type != w {
			t.Errorf("%s: %s, want %s", c.Name, c.Type, w)
		}
		if c.Name == "useridentity" && !strings.Contains(c.Type, "webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>") {
			t.Errorf("useridentity: %s", c.Type)
		}
	}
}

func TestCost(t *testing.T) {
	for _, c := range []struct {
		bytes int64
		want  float64
	}{
		{0, 10 * (1 << 20) / 1e12 * 5},                           // the 10 MB minimum
		{1, 10 * (1 << 20) / 1e12 * 5},                           // still the minimum
		{11<<20 + 1, 12 * (1 << 20) / 1e12 * 5},                  // rounded up to the megabyte
		{12 << 20, 12 * (1 << 20) / 1e12 * 5},                    // a whole megabyte is not rounded
		{2_000_000_000_000, float64(1907349*(1<<20)) / 1e12 * 5}, // 2e12 / 2^20 = 1907348.6 MB, rounded up
	} {
		if got := Cost(c.bytes); math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("Cost(%d) = %v, want %v", c.bytes, got, c.want)
		}
	}
	if got := Cost(1e12); got < 5 || got > 5.0001 {
		t.Errorf("Cost(1 TB) = %v, want about $5", got)
	}
}

func TestDecodeFailsOnMalformedResults(t *testing.T) {
	filters := Plan(catalog.AWS()[:1], Options{})
	header := []string{"kind", "bucket", "key", "records", "bad_time", "min_time", "max_time", "f0", "r0", "r0_first", "r0_last"}
	for _, c := range []struct {
		header []string
		rows   [][]string
		want   string
	}{
		{header[:7], nil, `result has no column "f0"`},
		{header, [][]string{{"total", ""}}, "row 1 has 2 cells, want 11"},
		{header, [][]string{{"total", "", "", "x", "0", "", "", "0", "0", "", ""}}, `row 1, records: strconv.ParseInt: parsing "x": invalid syntax`},
		{header, [][]string{{"hour", "", "", "1", "0", "", "", "0", "0", "", ""}}, `row 1: unknown kind "hour"`},
	} {
		_, err := Decode(filters, 1, c.header, c.rows)
		if err == nil || err.Error() != c.want {
			t.Errorf("Decode: %v, want %s", err, c.want)
		}
	}
}

func TestDecodeSumsMinutesIntoPeriods(t *testing.T) {
	filters := []Filter{{Alarm: 0, Name: "A", Period: 300}, {Alarm: 0, Name: "A/BenchmarkFilter", Period: 300}}
	header := []string{"kind", "bucket", "key", "records", "bad_time", "min_time", "max_time", "f0", "f1", "r0", "r0_first", "r0_last"}
	rows := [][]string{
		{"total", "", "", "10", "1", "1714600000", "1714600900", "0", "0", "4", "1714600020", "1714600890"},
		{"minute", "1714600020", "", "2", "0", "", "", "2", "1", "2", "", ""},
		{"minute", "1714600140", "", "1", "0", "", "", "1", "0", "1", "", ""},
		{"minute", "1714600860", "", "1", "0", "", "", "1", "0", "1", "", ""},
		{"principal", "", "arn:aws:iam::1:root", "3", "0", "", "", "3", "1", "3", "", ""},
		{"source_ip", "", "(none)", "4", "0", "", "", "4", "1", "4", "", ""},
	}
	got, err := Decode(filters, 1, header, rows)
	if err != nil {
		t.Fatal(err)
	}
	// 1714600020 and 1714600140 fall in the period starting 1714599900 (a multiple of 300).
	if want := map[int64]int64{1714599900: 3, 1714600800: 1}; fmt.Sprint(got.Filters[0]) != fmt.Sprint(want) {
		t.Errorf("filter 0 periods %v, want %v", got.Filters[0], want)
	}
	if want := map[int64]int64{1714599900: 1}; fmt.Sprint(got.Filters[1]) != fmt.Sprint(want) {
		t.Errorf("filter 1 periods %v, want %v", got.Filters[1], want)
	}
	a := got.Alarms[0]
	if got.Records != 10 || got.BadTime != 1 || !got.HasTime || a.Matches != 4 || a.First != 1714600020 || a.Last != 1714600890 ||
		a.Principals["arn:aws:iam::1:root"] != 3 || a.SourceIPs["(none)"] != 4 || len(a.EventNames) != 0 {
		t.Errorf("decoded %+v, alarm %+v", got, a)
	}
}
