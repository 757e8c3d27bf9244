package catalog

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// referencePath is the team's shared fact sheet, outside the repository; where it is absent
// (a user's CI) these tests skip, and patternPins and docs/alarms.md keep the guarantee.
const referencePath = "../../../shared/REFERENCE.md"

type referenceAlarm struct {
	ID, MetricName, AlarmName, Description, Pattern string
	Threshold                                       float64
}

// readReference reads the shared fact sheet, or skips the test where it is absent.
func readReference(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile(referencePath)
	if os.IsNotExist(err) {
		t.Skipf("%s is absent; the shared reference is needed to pin the catalog", referencePath)
	}
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// parseReferenceA reads section A of the shared fact sheet: AWS's ten alarms in template order
// (docs/alarms.md, "AWS's ten recommended alarms").
func parseReferenceA(t *testing.T) []referenceAlarm {
	t.Helper()
	raw := readReference(t)
	heading := regexp.MustCompile(`^### [0-9]+\. (\w+)$`)
	names := regexp.MustCompile("^- metric name `(\\w+)`, alarm name `(\\w+)`, threshold ([0-9]+)$")
	var out []referenceAlarm
	inA, inCode := false, false
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			inA = strings.HasPrefix(line, "## A.")
		case !inA:
		case line == "```":
			inCode = !inCode
		case inCode:
			out[len(out)-1].Pattern = line
		case heading.MatchString(line):
			out = append(out, referenceAlarm{ID: heading.FindStringSubmatch(line)[1]})
		case names.MatchString(line):
			m := names.FindStringSubmatch(line)
			out[len(out)-1].MetricName, out[len(out)-1].AlarmName = m[1], m[2]
			out[len(out)-1].Threshold, _ = strconv.ParseFloat(m[3], 64)
		case strings.HasPrefix(line, "- description: "):
			out[len(out)-1].Description = strings.TrimPrefix(line, "- description: ")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAWSMatchesReferenceByteForByte(t *testing.T) {
	want := parseReferenceA(t)
	got := AWS()
	if len(want) != 10 {
		t.Fatalf("parsed %d alarms from REFERENCE.md §A, want 10", len(want))
	}
	if len(got) != len(want) {
		t.Fatalf("catalog has %d alarms, REFERENCE.md §A has %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID {
			t.Errorf("row %d: ID %q, want %q (template order)", i, g.ID, w.ID)
		}
		if g.MetricName != w.MetricName || g.AlarmName != w.AlarmName || g.Threshold != w.Threshold {
			t.Errorf("%s: metric %q alarm %q threshold %v, want %q %q %v",
				w.ID, g.MetricName, g.AlarmName, g.Threshold, w.MetricName, w.AlarmName, w.Threshold)
		}
		if g.Pattern != w.Pattern {
			t.Errorf("%s: pattern differs from REFERENCE.md\n got: %s\nwant: %s", w.ID, g.Pattern, w.Pattern)
		}
		if g.Description["en"] != w.Description {
			t.Errorf("%s: description %q, want %q", w.ID, g.Description["en"], w.Description)
		}
	}
}

func TestBuiltInRowsAreComplete(t *testing.T) {
	ids := map[string]bool{}
	validID := regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	for _, a := range append(AWS(), CIS()...) {
		if !validID.MatchString(a.ID) {
			t.Errorf("ID %q is not a PascalCase construct ID", a.ID)
		}
		if ids[a.ID] {
			t.Errorf("ID %q is used twice", a.ID)
		}
		ids[a.ID] = true
		if len(a.Fires) == 0 || len(a.Quiet) == 0 {
			t.Errorf("%s: %d firing and %d quiet example records; want at least one of each", a.ID, len(a.Fires), len(a.Quiet))
		}
		for _, rec := range append(append([]string{}, a.Fires...), a.Quiet...) {
			if !json.Valid([]byte(rec)) {
				t.Errorf("%s: example record is not valid JSON: %s", a.ID, rec)
			}
		}
	}
}

func TestAWSReturnsACopy(t *testing.T) {
	a := AWS()
	a[0].Pattern = "changed"
	if AWS()[0].Pattern == "changed" {
		t.Fatal("AWS() shares its backing array with callers")
	}
}

func TestTextIn(t *testing.T) {
	txt := Text{"en": "hello", "ja": "こんにちは"}
	for lang, want := range map[string]string{"en": "hello", "ja": "こんにちは", "": "hello", "fr": "hello"} {
		if got := txt.In(lang); got != want {
			t.Errorf("In(%q) = %q, want %q", lang, got, want)
		}
	}
	if got := (Text{"en": "only"}).In("ja"); got != "only" {
		t.Errorf("missing translation gave %q, want the English text", got)
	}
}

// parseReferenceB reads section B of the shared fact sheet: control label -> exact pattern text
// (docs/alarms.md, "The CIS patterns").
func parseReferenceB(t *testing.T) map[string]string {
	t.Helper()
	raw := readReference(t)
	out := map[string]string{}
	inB, inCode := false, false
	for _, line := range strings.Split(string(raw), "\n") {
		switch {
		case strings.HasPrefix(line, "## "):
			inB = strings.HasPrefix(line, "## B.")
		case inB && line == "```":
			inCode = !inCode
		case inB && inCode && strings.HasPrefix(line, "CloudWatch."):
			label, _, _ := strings.Cut(line, " ")
			// The pattern is everything from its opening brace: the label columns hold none.
			out[label] = line[strings.IndexByte(line, '{'):]
		}
	}
	return out
}

// Security Hub compares the text exactly, whitespace included.
func TestCISMatchesReferenceByteForByte(t *testing.T) {
	want := parseReferenceB(t)
	got := CIS()
	if len(want) != 14 || len(got) != 14 {
		t.Fatalf("REFERENCE.md §B has %d patterns, the CIS profile %d; want 14 each", len(want), len(got))
	}
	for i, a := range got {
		control := "CloudWatch." + strconv.Itoa(i+1)
		if a.Pattern != want[control] {
			t.Errorf("%s (%s): pattern differs from REFERENCE.md\n got: %q\nwant: %q", control, a.ID, a.Pattern, want[control])
		}
		if !strings.Contains(a.AlarmName, control+"-") {
			t.Errorf("%s: alarm name %q does not carry the control ID", a.ID, a.AlarmName)
		}
		if a.Namespace != "LogMetrics" {
			t.Errorf("%s: namespace %q, want LogMetrics", a.ID, a.Namespace)
		}
		for _, code := range LanguageCodes() {
			if !strings.HasPrefix(a.Description[code], "Security Hub "+control+":") {
				t.Errorf("%s: description in %s %q does not start with the control ID %q", a.ID, code, a.Description[code], "Security Hub "+control+":")
			}
		}
	}
}

// patternPins are the first 16 hex digits of the SHA-256 of every built-in pattern, taken when the
// patterns were checked byte for byte against the shared fact sheet (the AWS template and Security
// Hub's text, docs/alarms.md). They keep that guarantee
// where ../shared is absent (a user's CI): an edit to a pattern fails here, whatever else changes.
var patternPins = map[string]string{
	"SecurityGroupChanges":              "99451e8cbb807f4f",
	"NetworkAclChanges":                 "f966addaead44cb9",
	"GatewayChanges":                    "22f0809bf8d41628",
	"VpcChanges":                        "8109a86d55793df2",
	"EC2InstanceChanges":                "8d94561b6d4d4638",
	"EC2LargeInstanceChanges":           "6d2692bb2396c879",
	"CloudTrailChanges":                 "f93f68fa5041b108",
	"ConsoleSignInFailures":             "ff21d706d7ca7fa6",
	"AuthorizationFailures":             "41922b7495cf7c1e",
	"IAMPolicyChanges":                  "0e7068e3b3dea24c",
	"Cis1RootUsage":                     "6a0b7f784762869e",
	"Cis2UnauthorizedApiCalls":          "466f930215a09922",
	"Cis3ConsoleSignInWithoutMfa":       "0e75d5219d240f95",
	"Cis4IamPolicyChanges":              "d1ebb2d6b7d7ae81",
	"Cis5CloudTrailChanges":             "037532dd537f0b35",
	"Cis6ConsoleAuthenticationFailures": "bcfb694063da6d42",
	"Cis7DisableOrDeleteCmk":            "c7fbbaef305dcd35",
	"Cis8S3BucketPolicyChanges":         "d85ab6c6d49ecdaf",
	"Cis9ConfigChanges":                 "8b70feeb359142ce",
	"Cis10SecurityGroupChanges":         "c6576bd66d8e6515",
	"Cis11NetworkAclChanges":            "031a82d4527c2b9e",
	"Cis12NetworkGatewayChanges":        "c75ebb0b7f8941a6",
	"Cis13RouteTableChanges":            "f599187c59cd91a6",
	"Cis14VpcChanges":                   "f447626dc43e393e",
}

func TestPatternsArePinned(t *testing.T) {
	rows := append(AWS(), CIS()...)
	if len(rows) != len(patternPins) {
		t.Errorf("%d built-in rows, %d pins", len(rows), len(patternPins))
	}
	for _, a := range rows {
		sum := fmt.Sprintf("%x", sha256.Sum256([]byte(a.Pattern)))[:16]
		if want, ok := patternPins[a.ID]; !ok || sum != want {
			t.Errorf("%s: pattern hash %s, pinned %s: the pattern changed (Security Hub compares the text exactly)", a.ID, sum, want)
		}
	}
}
