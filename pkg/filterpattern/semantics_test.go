package filterpattern_test

import (
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
	"github.com/trailwatch/trailwatch/pkg/filterpattern/internal/reference"
)

// The tables below pin each rule and each decision in SEMANTICS.md. A row is a
// record and whether the pattern must match it.

type row struct {
	record string
	want   bool
}

func yes(record string) row { return row{record, true} }
func no(record string) row  { return row{record, false} }

func check(t *testing.T, pattern string, rows ...row) {
	t.Helper()
	p, err := filterpattern.Parse(pattern)
	if err != nil {
		t.Fatalf("Parse(%q): %v", pattern, err)
	}
	// Every row also holds for the independent reference evaluator, so the differential tests
	// compare the engine with something known to follow these tables.
	rp, err := reference.Parse(pattern)
	if err != nil {
		t.Fatalf("reference.Parse(%q): %v", pattern, err)
	}
	checkCanonical(t, p, rows)
	for _, r := range rows {
		if got := p.Match([]byte(r.record)); got != r.want {
			t.Errorf("%s\n  on %s\n  matched = %v, want %v", pattern, r.record, got, r.want)
		}
		if got, err := rp.Match([]byte(r.record)); err != nil || got != r.want {
			t.Errorf("reference: %s\n  on %s\n  matched = %v (%v), want %v", pattern, r.record, got, err, r.want)
		}
	}
}

func TestEmptyPatternMatchesEverything(t *testing.T) {
	for _, pattern := range []string{"", " ", "\t\n "} {
		check(t, pattern, yes(`{}`), yes(`{"eventName":"CreateVpc"}`), yes(`not JSON at all`), yes(``), yes(`[1,2]`))
	}
}

func TestSelectors(t *testing.T) {
	check(t, `{ $.a.b.c = x }`,
		yes(`{"a":{"b":{"c":"x"}}}`),
		no(`{"a":{"b":{"c":"y"}}}`),
		no(`{"a":{"b":"x"}}`),
		no(`{"a.b.c":"x"}`), // a dot always separates properties
		no(`{"a":{"b":[{"c":"x"}]}}`))
	check(t, `{ $.a[0] = x }`,
		yes(`{"a":["x","y"]}`),
		no(`{"a":["y","x"]}`),
		no(`{"a":{"0":"x"}}`), // an index selects array elements only
		no(`{"a":"x"}`),
		no(`{"a":[]}`))
	check(t, `{ $.a[1][2] = 6 }`,
		yes(`{"a":[[0,1,2],[4,5,6]]}`),
		no(`{"a":[[0,1,2],[4,5]]}`),
		no(`{"a":[[0,1,2]]}`))
	check(t, `{ $.users[1].id = 3 }`,
		yes(`{"users":[{"id":2},{"id":3}]}`),
		no(`{"users":[{"id":3},{"id":2}]}`),
		no(`{"users":[{"id":2},"id"]}`))
	check(t, `{ $.x-y_z.9 = v }`, yes(`{"x-y_z":{"9":"v"}}`), no(`{"x-y_z":{"9 ":"v"}}`))
	check(t, `{ $.['cluster.name'] = c }`, yes(`{"cluster.name":"c"}`), no(`{"cluster":{"name":"c"}}`))
	check(t, `{ $.a.['b c'][0] = 1 }`, yes(`{"a":{"b c":[1]}}`))
	// Property names are case-sensitive.
	check(t, `{ $.eventName = CreateVpc }`, no(`{"EventName":"CreateVpc"}`), no(`{"eventname":"CreateVpc"}`))
	// Keys written with escapes are compared by their text.
	check(t, `{ $.eventName = CreateVpc }`, yes(`{"event\u004eame":"CreateVpc"}`), yes(`{"eventName":"Create\u0056pc"}`))
}

func TestStringsAreCaseSensitiveWholeValues(t *testing.T) {
	check(t, `{ $.eventName = CreateVpc }`,
		yes(`{"eventName":"CreateVpc"}`),
		no(`{"eventName":"CreateVpcPeeringConnection"}`),
		no(`{"eventName":"createVpc"}`),
		no(`{"eventName":"CreateVpc "}`),
		no(`{"eventName":"XCreateVpc"}`))
	check(t, `{ $.eventName != CreateVpc }`,
		no(`{"eventName":"CreateVpc"}`),
		yes(`{"eventName":"CreateVpcPeeringConnection"}`),
		yes(`{"eventName":"createVpc"}`))
	// Quoted and unquoted spellings are the same string.
	check(t, `{ $.eventName = "CreateVpc" }`, yes(`{"eventName":"CreateVpc"}`), no(`{"eventName":"createvpc"}`))
	check(t, `{ $.errorMessage = "Failed authentication" }`,
		yes(`{"errorMessage":"Failed authentication"}`),
		no(`{"errorMessage":"failed authentication"}`),
		no(`{"errorMessage":"Failed authentication."}`))
	check(t, `{ $.a = "say \"hi\" \\ bye" }`, yes(`{"a":"say \"hi\" \\ bye"}`))
	check(t, `{ $.a = "" }`, yes(`{"a":""}`), no(`{"a":" "}`))
	check(t, `{ $.a = "Ev*ent" }`, yes(`{"a":"Ev*ent"}`), no(`{"a":"Event"}`))
	// Unicode compares by UTF-8 text; the record may spell it with \u escapes. No normalization.
	check(t, `{ $.name = "日本語" }`, yes(`{"name":"日本語"}`), yes(`{"name":"\u65e5\u672c\u8a9e"}`), no(`{"name":"日本"}`))
	check(t, `{ $.name = "é" }`, yes(`{"name":"\u00e9"}`), no(`{"name":"e\u0301"}`))
	check(t, `{ $.name = "😀" }`, yes(`{"name":"\ud83d\ude00"}`))
}

func TestWildcards(t *testing.T) {
	check(t, `{ $.i = *.4xlarge }`,
		yes(`{"i":"c5.4xlarge"}`),
		yes(`{"i":".4xlarge"}`),
		no(`{"i":"m5.24xlarge"}`),
		no(`{"i":"c5.4xlarge2"}`))
	check(t, `{ $.e = "AccessDenied*" }`,
		yes(`{"e":"AccessDenied"}`),
		yes(`{"e":"AccessDeniedException"}`),
		no(`{"e":"accessDenied"}`),
		no(`{"e":"XAccessDenied"}`))
	check(t, `{ $.e = "*UnauthorizedOperation" }`,
		yes(`{"e":"Client.UnauthorizedOperation"}`),
		yes(`{"e":"UnauthorizedOperation"}`),
		no(`{"e":"UnauthorizedOperationX"}`))
	check(t, `{ $.e = *Denied* }`, yes(`{"e":"AccessDeniedException"}`), yes(`{"e":"Denied"}`), no(`{"e":"Deny"}`))
	// A '*' in the middle is a literal character.
	check(t, `{ $.e = Ev*ent }`, yes(`{"e":"Ev*ent"}`), no(`{"e":"Event"}`), no(`{"e":"EvXent"}`))
	check(t, `{ $.e = *a*b* }`, yes(`{"e":"xa*by"}`), no(`{"e":"xaby"}`))
	// != takes wildcards too: the user guide's { $.sourceIPAddress != 123.123.* }.
	check(t, `{ $.sourceIPAddress != 123.123.* }`,
		yes(`{"sourceIPAddress":"111.111.111.111"}`),
		no(`{"sourceIPAddress":"123.123.0.1"}`),
		no(`{}`))
}

// TestStarIsAnyValueNode pins { $.x = * }: true for any string or number (the user guide's
// "value nodes"), false for null, booleans, objects, arrays and missing fields.
func TestStarIsAnyValueNode(t *testing.T) {
	for _, pattern := range []string{`{ $.x = * }`, `{ $.x = "*" }`} {
		check(t, pattern,
			yes(`{"x":"anything"}`), yes(`{"x":""}`), yes(`{"x":0}`), yes(`{"x":-1.5e3}`),
			no(`{"x":null}`), no(`{"x":true}`), no(`{"x":false}`), no(`{"x":{}}`), no(`{"x":[1]}`), no(`{}`))
	}
	check(t, `{ $.x != * }`, no(`{"x":"anything"}`), no(`{"x":5}`), no(`{"x":null}`), no(`{}`))
}

func TestNumbers(t *testing.T) {
	ops := []struct {
		op         string
		lt, eq, gt bool // result for a value less than, equal to and greater than 500
	}{
		{"=", false, true, false},
		{"!=", true, false, true},
		{"<", true, false, false},
		{"<=", true, true, false},
		{">", false, false, true},
		{">=", false, true, true},
	}
	for _, o := range ops {
		check(t, "{ $.latency "+o.op+" 500 }",
			row{`{"latency":499.999}`, o.lt}, row{`{"latency":-501}`, o.lt},
			row{`{"latency":500}`, o.eq}, row{`{"latency":5e2}`, o.eq}, row{`{"latency":500.000}`, o.eq},
			row{`{"latency":500.0001}`, o.gt}, row{`{"latency":1E3}`, o.gt})
	}
	// Signs, decimals and exponents in the pattern (the user guide's examples).
	check(t, `{ $.latency > +1000 }`, yes(`{"latency":1001}`), no(`{"latency":1000}`))
	check(t, `{ $.n[0] < 10e3 }`, yes(`{"n":[9999]}`), no(`{"n":[10000]}`))
	check(t, `{ $.n[0] < 10e-3 }`, yes(`{"n":[0.0099]}`), no(`{"n":[0.01]}`))
	check(t, `{ $.n[0] = 1e+3 }`, yes(`{"n":[1000]}`), no(`{"n":[100]}`))
	check(t, `{ $.n[0] != 1e-3 }`, yes(`{"n":[1000]}`), no(`{"n":[0.001]}`))
	check(t, `{ $.r <= 55.5 }`, yes(`{"r":55.5}`), yes(`{"r":-55.6}`), no(`{"r":55.50001}`))
	check(t, `{ $.t > -0.5 }`, yes(`{"t":0}`), yes(`{"t":-0.25}`), no(`{"t":-0.5}`))
	check(t, `{ $.z = 0 }`, yes(`{"z":-0}`), yes(`{"z":0.0e10}`))
	// Comparison is exact, beyond float64 precision.
	check(t, `{ $.id = 9007199254740993 }`, yes(`{"id":9007199254740993}`), no(`{"id":9007199254740992}`))
	check(t, `{ $.big > 1e308 }`, yes(`{"big":1e309}`), no(`{"big":1e308}`))
}

// TestNumberAgainstString pins the cross-type rules: an unquoted number equals a JSON string
// with exactly its text; ordering never applies to strings; a string value compares with a
// number's literal text.
func TestNumberAgainstString(t *testing.T) {
	check(t, `{ $.recipientAccountId = 123456789012 }`,
		yes(`{"recipientAccountId":"123456789012"}`),
		yes(`{"recipientAccountId":123456789012}`),
		no(`{"recipientAccountId":"0123456789012"}`))
	check(t, `{ $.a = 1 }`, yes(`{"a":"1"}`), yes(`{"a":1.0}`), no(`{"a":"1.0"}`), no(`{"a":"01"}`))
	check(t, `{ $.a != 1 }`, no(`{"a":"1"}`), yes(`{"a":"1.0"}`), yes(`{"a":"x"}`))
	check(t, `{ $.a > 1 }`, no(`{"a":"5"}`), no(`{"a":"x"}`), yes(`{"a":5}`))
	check(t, `{ $.a = "1" }`, yes(`{"a":1}`), yes(`{"a":"1"}`), no(`{"a":1.0}`), no(`{"a":1e0}`))
	check(t, `{ $.code = 4* }`, yes(`{"code":404}`), yes(`{"code":"404"}`), no(`{"code":504}`))
	check(t, `{ $.a = foo }`, no(`{"a":1}`))
	check(t, `{ $.a != foo }`, yes(`{"a":1}`))
}

// TestUnquotedValuesWithHyphen: AWS accepts '-' in an unquoted value (deployed patterns such as
// { ($.eventSource = sso-directory.amazonaws.com) }, SEMANTICS.md "Strings"). The value is the
// exact text up to whitespace, ')', '}', '&&' or '||'; it is a number only if the whole token is
// one, so 1-2 and us-east-1 are strings and -5 is a number.
func TestUnquotedValuesWithHyphen(t *testing.T) {
	check(t, `{ ($.eventSource = sso-directory.amazonaws.com) }`,
		yes(`{"eventSource":"sso-directory.amazonaws.com"}`),
		no(`{"eventSource":"sso.amazonaws.com"}`),
		no(`{"eventSource":"sso-directory.amazonaws.com "}`),
		no(`{"eventSource":"SSO-directory.amazonaws.com"}`))
	check(t, `{ $.awsRegion = us-east-1 }`, yes(`{"awsRegion":"us-east-1"}`), no(`{"awsRegion":"us-east-12"}`), no(`{"awsRegion":"us-east"}`))
	check(t, `{ $.awsRegion != us-east-1 }`, no(`{"awsRegion":"us-east-1"}`), yes(`{"awsRegion":"eu-west-1"}`), no(`{}`))
	// Where the value ends: whitespace, ')', '}', '&&', '||' — with or without spaces.
	check(t, `{($.awsRegion=us-east-1)&&($.eventName=Run-Instances)}`,
		yes(`{"awsRegion":"us-east-1","eventName":"Run-Instances"}`),
		no(`{"awsRegion":"us-east-1","eventName":"RunInstances"}`))
	check(t, `{$.a=us-east-1||$.a=eu-west-1}`, yes(`{"a":"eu-west-1"}`), yes(`{"a":"us-east-1"}`), no(`{"a":"us-east-1||$.a=eu-west-1"}`))
	check(t, `{$.a=us-east-1&&$.b=x-y}`, yes(`{"a":"us-east-1","b":"x-y"}`), no(`{"a":"us-east-1&&$.b=x-y"}`))
	check(t, `{$.a=us-east-1}`, yes(`{"a":"us-east-1"}`))
	// Wildcards at either end, as for any string; '-' must stay between other characters of the
	// literal, so us-* and *-1 are quoted (unquoted they are unsupported: TestParseErrorMessages).
	check(t, `{ $.a = us-east* }`, yes(`{"a":"us-east-1"}`), yes(`{"a":"us-east"}`), no(`{"a":"eu-west-1"}`))
	check(t, `{ $.a = *east-1 }`, yes(`{"a":"us-east-1"}`), no(`{"a":"us-east-2"}`))
	check(t, `{ $.a = "*-east-*" }`, yes(`{"a":"us-east-1"}`), no(`{"a":"useast1"}`))
	check(t, `{ $.a = "us-*" }`, yes(`{"a":"us-east-1"}`), yes(`{"a":"us-"}`), no(`{"a":"eu-west-1"}`))
	check(t, `{ $.a = a.-b || $.a = a_-b }`, yes(`{"a":"a.-b"}`), yes(`{"a":"a_-b"}`), no(`{"a":"a-b"}`))
	// A token that is a whole number is a number; one that only looks numeric is a string.
	check(t, `{ $.a = 1-2 }`, yes(`{"a":"1-2"}`), no(`{"a":-1}`), no(`{"a":1}`), no(`{"a":"1"}`))
	check(t, `{ $.a = 2024-01-31 }`, yes(`{"a":"2024-01-31"}`), no(`{"a":1993}`))
	check(t, `{ $.a = -5 }`, yes(`{"a":-5}`), yes(`{"a":-5.0}`), yes(`{"a":"-5"}`), no(`{"a":"-5.0"}`))
	check(t, `{ $.a = 1-e5 }`, yes(`{"a":"1-e5"}`), no(`{"a":1e-5}`))
	// A lone, leading, trailing or doubled '-' needs quotes (unquoted: TestParseErrorMessages).
	check(t, `{ $.a = "-" }`, yes(`{"a":"-"}`), no(`{"a":"--"}`))
	check(t, `{ $.a = "-x" || $.a = "x-" || $.a = "a--b" }`, yes(`{"a":"-x"}`), yes(`{"a":"x-"}`), yes(`{"a":"a--b"}`), no(`{"a":"x"}`))
	// Quoted and unquoted spellings are the same string.
	check(t, `{ $.a = "us-east-1" }`, yes(`{"a":"us-east-1"}`))
}

// TestNewlyAcceptedFormsRoundTrip: String returns the source; Canonical reads back as the same
// pattern (check does that for every pattern of these tables), and prints unquoted exactly the
// values that read back unquoted as the same string.
func TestNewlyAcceptedFormsRoundTrip(t *testing.T) {
	for _, tt := range []struct{ src, canonical string }{
		{`{ ($.eventSource = sso-directory.amazonaws.com) }`, `{ $.eventSource = sso-directory.amazonaws.com }`},
		{`{$.awsRegion=us-east-1}`, `{ $.awsRegion = us-east-1 }`},
		{`{$.a=1-2||$.a="-"}`, `{ $.a = 1-2 || $.a = "-" }`},
		{`{ $.awsRegion != "us-*" }`, `{ $.awsRegion != "us-*" }`},
		{`{ $.a = "x-" || $.a = "-x" || $.a = "a--b" || $.a = "a-b" }`, `{ $.a = "x-" || $.a = "-x" || $.a = "a--b" || $.a = a-b }`},
	} {
		p, err := filterpattern.Parse(tt.src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.src, err)
		}
		if p.String() != tt.src {
			t.Errorf("String() = %q, want %q", p.String(), tt.src)
		}
		if got := p.Canonical(); got != tt.canonical {
			t.Errorf("Canonical() of %q = %q, want %q", tt.src, got, tt.canonical)
		}
		checkCanonical(t, p, nil)
	}
}

func TestBooleansAndNull(t *testing.T) {
	check(t, `{ $.f IS TRUE }`, yes(`{"f":true}`), no(`{"f":false}`), no(`{"f":"true"}`), no(`{"f":1}`), no(`{}`), no(`{"f":null}`))
	check(t, `{ $.f IS FALSE }`, yes(`{"f":false}`), no(`{"f":true}`), no(`{"f":"false"}`), no(`{"f":0}`), no(`{}`))
	check(t, `{ $.n IS NULL }`, yes(`{"n":null}`), no(`{}`), no(`{"n":"null"}`), no(`{"n":{}}`), no(`{"n":[]}`), no(`{"n":0}`))
	check(t, `{ $.n NOT EXISTS }`, yes(`{}`), yes(`{"m":1}`), no(`{"n":null}`), no(`{"n":{}}`), no(`{"n":""}`))
	check(t, `{ $.a.b NOT EXISTS }`, yes(`{"a":{}}`), yes(`{"a":null}`), yes(`{"a":"b"}`), yes(`{"a":[{"b":1}]}`), yes(`{}`), no(`{"a":{"b":null}}`))
	// A boolean is not a value node: = and != both fail on it, whatever the value says.
	check(t, `{ $.f = true }`, no(`{"f":true}`), yes(`{"f":"true"}`))
	check(t, `{ $.f != true }`, no(`{"f":true}`), no(`{"f":false}`), yes(`{"f":"false"}`))
	check(t, `{ $.n = null }`, no(`{"n":null}`), yes(`{"n":"null"}`))
	check(t, `{ $.n != x }`, no(`{"n":null}`))
}

// TestObjectsArraysAndMissingFailBothWays: "both {$.users = 1} and {$.users != 1} will fail to
// match a log event where users is an array"; a missing field fails both as well.
func TestObjectsArraysAndMissingFailBothWays(t *testing.T) {
	records := []string{`{"users":[1,2,3]}`, `{"users":{"id":1}}`, `{"users":[]}`, `{"users":{}}`, `{}`, `{"other":1}`}
	for _, pattern := range []string{`{ $.users = 1 }`, `{ $.users != 1 }`, `{ $.users = x }`, `{ $.users != x }`,
		`{ $.users = * }`, `{ $.users > 0 }`, `{ $.users < 0 }`, `{ $.users = %1% }`, `{ $.users != %1% }`} {
		rows := make([]row, len(records))
		for i, r := range records {
			rows[i] = no(r)
		}
		check(t, pattern, rows...)
	}
}

// TestPrecedence: () > && > ||, the user guide's compound examples on its own JSON, verbatim.
func TestPrecedence(t *testing.T) {
	const event = `{"user":{"id":1,"email":"John.Stiles@example.com"},"users":[{"id":2,"email":"John.Doe@example.com"},{"id":3,"email":"Jane.Doe@example.com"}],"actions":["GET","PUT","DELETE"],"coordinates":[[0,1,2],[4,5,6],[7,8,9]]}`
	check(t, `{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }`, yes(event))
	check(t, `{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }`, no(event))
	check(t, `{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }`, yes(event))
	check(t, `{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }`, no(event))
	// && binds tighter than || on both sides.
	check(t, `{ $.a = 1 && $.b = 1 || $.c = 1 }`, yes(`{"c":1}`), yes(`{"a":1,"b":1}`), no(`{"a":1}`))
	check(t, `{ $.c = 1 || $.a = 1 && $.b = 1 }`, yes(`{"c":1}`), no(`{"a":1}`), yes(`{"a":1,"b":1}`))
	check(t, `{ ($.c = 1 || $.a = 1) && $.b = 1 }`, no(`{"c":1}`), yes(`{"c":1,"b":1}`))
	check(t, `{ ((($.a = 1))) }`, yes(`{"a":1}`))
	check(t, `{$.a=1&&$.b!=2||$.c>=3}`, yes(`{"a":1,"b":3}`), yes(`{"c":3}`), no(`{"a":1,"b":2}`))
}

// TestUserGuideExamples replays every JSON example of the CloudWatch Logs user guide ("Using
// filter patterns to match terms in JSON log events") on the guide's own event.
func TestUserGuideExamples(t *testing.T) {
	const event = `{"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"ThisFlag":true,"cluster.name":"c"}`
	for _, pattern := range []string{
		`{ $.eventType = "UpdateTrail" }`,
		`{ $.sourceIPAddress != 123.123.* }`,
		`{ $.arrayKey[0] = "value" }`,
		`{ $.objectList[1].id = 2 }`,
		`{ $.SomeObject IS NULL }`,
		`{ $.SomeOtherObject NOT EXISTS }`,
		`{ $.ThisFlag IS TRUE }`,
		`{ $.eventType = %Trail% }`,
		`{ $.['cluster.name'] = "c" }`,
		`{$.foo = bar || $.eventType = UpdateTrail }`,
	} {
		check(t, pattern, yes(event))
	}
	check(t, `{ $.arrayKey = "value" }`, no(event))
	check(t, `{ $.objectList[1].id = 1 }`, no(event))
	check(t, `{ $.foo = bar }`, yes(`{"foo": "bar"}`), no(`{"foo": "baz"}`))
	check(t, `{ $.foo = bar || $.foo = baz }`, yes(`{"foo": "bar"}`), yes(`{"foo": "baz"}`))
}

func TestRegexValues(t *testing.T) {
	// A regex searches the value; ^ and $ anchor to the whole value.
	check(t, `{ $.e = %Trail% }`, yes(`{"e":"UpdateTrail"}`), yes(`{"e":"Trail"}`), no(`{"e":"trail"}`), no(`{}`))
	check(t, `{ $.e = %^Update% }`, yes(`{"e":"UpdateTrail"}`), no(`{"e":"NoUpdate"}`))
	check(t, `{ $.e = %Trail$% }`, yes(`{"e":"UpdateTrail"}`), no(`{"e":"TrailX"}`))
	check(t, `{ $.e != %Trail% }`, yes(`{"e":"CreateVpc"}`), no(`{"e":"UpdateTrail"}`), no(`{}`), no(`{"e":null}`))
	// The guide's operator examples.
	check(t, `{ $.m = %^[hc]at% }`, yes(`{"m":"hat trick"}`), yes(`{"m":"cat"}`), no(`{"m":"a hat"}`))
	check(t, `{ $.m = %colou?r% }`, yes(`{"m":"color"}`), yes(`{"m":"colour"}`), no(`{"m":"colouur"}`))
	check(t, `{ $.m = %[abcx-z]% }`, yes(`{"m":"y"}`), no(`{"m":"d"}`))
	check(t, `{ $.m = %^a{3,5}$% }`, yes(`{"m":"aaa"}`), yes(`{"m":"aaaaa"}`), no(`{"m":"aa"}`), no(`{"m":"aaaaaa"}`))
	check(t, `{ $.m = %^a{,2}$% }`, yes(`{"m":""}`), yes(`{"m":"aa"}`), no(`{"m":"aaa"}`))
	check(t, `{ $.m = %^a{2,}$% }`, yes(`{"m":"aaaa"}`), no(`{"m":"a"}`))
	check(t, `{ $.m = %^a{2}$% }`, yes(`{"m":"aa"}`), no(`{"m":"aaa"}`))
	check(t, `{ $.m = %gra|ey% }`, yes(`{"m":"gray"}`), yes(`{"m":"grey"}`), no(`{"m":"gr"}`))
	check(t, `{ $.m = %^starting|^initializing|^shutting down% }`,
		yes(`{"m":"shutting down now"}`), yes(`{"m":"starting ..."}`), no(`{"m":"skipping initializing ..."}`))
	check(t, `{ $.m = %abcc|ab[^c]$% }`, yes(`{"m":"abcc ..."}`), yes(`{"m":"aba"}`), no(`{"m":"aac ..."}`))
	check(t, `{ $.m = %\[.\]% }`, yes(`{"m":"[7]"}`), yes(`{"m":"x[ ]y"}`), yes(`{"m":"[]]"}`), no(`{"m":"[]"}`))
	check(t, `{ $.m = %10\.10\.0\.1% }`, yes(`{"m":"10.10.0.1"}`), no(`{"m":"10010,051"}`))
	check(t, `{ $.m = %10.10.0.1% }`, yes(`{"m":"10010,051"}`))
	check(t, `{ $.m = %^ab*c$% }`, yes(`{"m":"ac"}`), yes(`{"m":"abbbc"}`))
	check(t, `{ $.m = %ab[0-9]*% }`, yes(`{"m":"ab"}`), yes(`{"m":"ab129"}`))
	check(t, `{ $.m = %^ab+c$% }`, yes(`{"m":"abc"}`), no(`{"m":"ac"}`))
	check(t, `{ $.m = %^.at$% }`, yes(`{"m":"4at"}`), yes(`{"m":"#at"}`), yes(`{"m":" at"}`), no(`{"m":"at"}`))
	check(t, `{ $.m = %^\d+$% }`, yes(`{"m":"0123"}`), no(`{"m":"12a"}`))
	check(t, `{ $.m = %^\D$% }`, yes(`{"m":"a"}`), no(`{"m":"1"}`))
	check(t, `{ $.m = %^\w+$% }`, yes(`{"m":"a_Z9"}`), no(`{"m":"a-b"}`))
	check(t, `{ $.m = %\W% }`, yes(`{"m":"a-b"}`), no(`{"m":"a_b"}`))
	check(t, `{ $.m = %a\sb% }`, yes(`{"m":"a b"}`), yes(`{"m":"a\tb"}`), yes(`{"m":"a\nb"}`), no(`{"m":"a\rb"}`), no(`{"m":"a\fb"}`))
	check(t, `{ $.m = %a\Sb% }`, yes(`{"m":"a-b"}`), no(`{"m":"a b"}`))
	check(t, `{ $.m = %\x3A% }`, yes(`{"m":"key:value"}`), no(`{"m":"key=value"}`))
	check(t, `{ $.m = %\x28% }`, yes(`{"m":"f(x)"}`))
	check(t, `{ $.m = %[\d_]% }`, yes(`{"m":"_"}`), yes(`{"m":"7"}`), no(`{"m":"a"}`))
	check(t, `{ $.m = %[a-]% }`, yes(`{"m":"-"}`))
	check(t, `{ $.m = %[.*+?]% }`, yes(`{"m":"+"}`), no(`{"m":"a"}`))
	check(t, `{ $.m = %:_#=@/;,-% }`, yes(`{"m":"x:_#=@/;,-y"}`))
	// '.' does not match a newline (the guide is silent; RE2 and Java agree on this default).
	check(t, `{ $.m = %a.b% }`, yes(`{"m":"a b"}`), no(`{"m":"a\nb"}`))
	// A regex reads a number's literal text.
	check(t, `{ $.code = %^4\d\d$% }`, yes(`{"code":404}`), yes(`{"code":"404"}`), no(`{"code":4.04e2}`))
	// Two regexes are allowed in one pattern.
	check(t, `{ $.a = %x% || $.b = %y% }`, yes(`{"b":"y"}`))
}

// TestNonObjectsNeverMatch: "a JSON pattern never matches" a log event that is not a JSON object,
// not even NOT EXISTS.
func TestNonObjectsNeverMatch(t *testing.T) {
	for _, pattern := range []string{`{ $.a NOT EXISTS }`, `{ $.a != x }`, `{ $.a = * }`} {
		check(t, pattern,
			no(`not json`), no(``), no(`   `), no(`[{"a":1}]`), no(`"a"`), no(`42`), no(`null`), no(`true`),
			no(`{"a":1`), no(`{"b":1} trailing`), no(`{"b":1}{"b":2}`), no("{\"b\":\"\xff\"}"))
	}
	check(t, `{ $.a NOT EXISTS }`, yes(`{"b":1}`))
}

// TestDuplicateKeysLastWins: a key that occurs twice selects its last value, as encoding/json,
// Jackson and most JSON libraries read it.
func TestDuplicateKeysLastWins(t *testing.T) {
	check(t, `{ $.eventName = CreateVpc }`,
		yes(`{"eventName":"DeleteVpc","eventName":"CreateVpc"}`),
		no(`{"eventName":"CreateVpc","eventName":"DeleteVpc"}`))
	check(t, `{ $.a.b = 1 }`,
		no(`{"a":{"b":1},"a":{"c":2}}`),
		yes(`{"a":{"c":2},"a":{"b":1}}`),
		no(`{"a":{"b":1},"a":[{"b":1}]}`),
		yes(`{"a":{"b":2,"b":1}}`))
	check(t, `{ $.a NOT EXISTS }`, no(`{"a":1,"a":null}`))
	check(t, `{ $.a IS NULL }`, yes(`{"a":1,"a":null}`), no(`{"a":null,"a":1}`))
}

// TestDeepNesting: a selector reaches as deep as the record goes; a record nested deeper than
// 10000 levels (encoding/json's limit) is rejected rather than walked.
func TestDeepNesting(t *testing.T) {
	const depth = 100
	sel := "$" + strings.Repeat(".a", depth)
	rec := strings.Repeat(`{"a":`, depth) + `"x"` + strings.Repeat("}", depth)
	check(t, "{ "+sel+" = x }", yes(rec), no(strings.Replace(rec, `"x"`, `"y"`, 1)))

	// The object and 9999 arrays make 10000 levels: accepted. One more level is not.
	p, err := filterpattern.Parse(`{ $.a NOT EXISTS }`)
	if err != nil {
		t.Fatal(err)
	}
	nested := func(n int) []byte {
		return []byte(`{"b":` + strings.Repeat(`[`, n) + strings.Repeat(`]`, n) + `}`)
	}
	if !p.Match(nested(9999)) {
		t.Errorf("a record nested 10000 levels deep did not match { $.a NOT EXISTS }")
	}
	if p.Match(nested(10000)) {
		t.Errorf("a record nested 10001 levels deep matched { $.a NOT EXISTS }")
	}
}

func TestWhitespaceAroundTokens(t *testing.T) {
	check(t, "\n\t{\n\t$.a\n=\n1\n&&\t(\t$.b\tIS\tNULL\t)\n}\n ", yes(`{"a":1,"b":null}`))
	check(t, `{ $.a   NOT   EXISTS }`, yes(`{}`))
	check(t, `{ $.a = 1 }`, yes(" \r\n {\"a\" \n:\t 1 }  \n"))
}

// TestManyExactValues covers an || of many exact values on one selector (AWS's alarm shape),
// which a Set evaluates as one lookup: the same rules must hold as for the conditions one by one.
func TestManyExactValues(t *testing.T) {
	check(t, `{ $.e = A || $.e = B || $.e = "C D" || $.e = 404 || $.e = E* || $.x = 1 }`,
		yes(`{"e":"A"}`), yes(`{"e":"C D"}`), yes(`{"e":"Echo"}`), yes(`{"e":404}`), yes(`{"e":"404"}`), yes(`{"e":4.04e2}`),
		yes(`{"x":1}`), no(`{"e":"a"}`), no(`{"e":null}`), no(`{"e":["A"]}`), no(`{"e":{"A":1}}`), no(`{}`))
	check(t, `{ $.e = "1" || $.e = "2" || $.e = "3" || $.e = "4" }`,
		yes(`{"e":1}`), yes(`{"e":"4"}`), no(`{"e":1.0}`), no(`{"e":true}`))
	check(t, `{ ($.e = A || $.e = B || $.e = C || $.e = D) && $.f NOT EXISTS }`,
		yes(`{"e":"D"}`), no(`{"e":"D","f":null}`), no(`{"e":"E"}`))
}

// TestRegexCostLimitIsInclusive: a pattern whose regexes cost exactly MaxRegexCost parses and
// matches; the rows one unit over are in TestParseErrorMessages.
func TestRegexCostLimitIsInclusive(t *testing.T) {
	if filterpattern.MaxRegexCost != 256 {
		t.Fatalf("MaxRegexCost = %d; SEMANTICS.md and the error tests say 256", filterpattern.MaxRegexCost)
	}
	long := strings.Repeat("x", 300)
	check(t, `{ $.a = %^\w{0,256}$% }`, yes(`{"a":"`+strings.Repeat("x", 256)+`"}`), no(`{"a":"`+strings.Repeat("x", 257)+`"}`), yes(`{"a":""}`))
	check(t, `{ $.a = %x{255,}% }`, yes(`{"a":"`+long+`"}`), no(`{"a":"`+long[:254]+`"}`))
	check(t, `{ $.a = %[a-z]{128}% && $.b = %b{2,128}% }`, yes(`{"a":"`+strings.Repeat("q", 128)+`","b":"bb"}`), no(`{"a":"q","b":"bb"}`))
	// Anchors and alternation cost nothing; every branch's characters count.
	check(t, `{ $.a = %^a{127}$|^b{127}$|^cd$% }`, yes(`{"a":"cd"}`), no(`{"a":"c"}`))
	// The guide's own examples are far below the limit.
	check(t, `{ $.ip = %\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}% }`, yes(`{"ip":"10.0.12.255"}`), no(`{"ip":"10.0.x.1"}`))
}
