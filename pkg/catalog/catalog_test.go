package catalog

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// referencePath is the team's shared fact sheet; CI has it beside the checkout.
const referencePath = "../../../shared/REFERENCE.md"

type referenceAlarm struct {
	ID, MetricName, AlarmName, Description, Pattern string
	Threshold                                       float64
}

// parseReferenceA reads section A of REFERENCE.md: AWS's ten alarms in template order.
func parseReferenceA(t *testing.T) []referenceAlarm {
	t.Helper()
	f, err := os.Open(referencePath)
	if os.IsNotExist(err) {
		t.Skipf("%s is absent; the shared reference is needed to pin the catalog", referencePath)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	heading := regexp.MustCompile(`^### [0-9]+\. (\w+)$`)
	names := regexp.MustCompile("^- metric name `(\\w+)`, alarm name `(\\w+)`, threshold ([0-9]+)$")
	var out []referenceAlarm
	inA, inCode := false, false
	sc := bufio.NewScanner(f)
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
		if g.Description.EN != w.Description {
			t.Errorf("%s: description %q, want %q", w.ID, g.Description.EN, w.Description)
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
		if a.Description.JA == "" {
			t.Errorf("%s: no Japanese description", a.ID)
		}
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
	txt := Text{EN: "hello", JA: "こんにちは"}
	for lang, want := range map[string]string{"en": "hello", "ja": "こんにちは", "": "hello", "fr": "hello"} {
		if got := txt.In(lang); got != want {
			t.Errorf("In(%q) = %q, want %q", lang, got, want)
		}
	}
	if got := (Text{EN: "only"}).In("ja"); got != "only" {
		t.Errorf("missing translation gave %q, want the English text", got)
	}
}

// parseReferenceB reads section B of REFERENCE.md: control label -> exact pattern text.
func parseReferenceB(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(referencePath)
	if os.IsNotExist(err) {
		t.Skipf("%s is absent; the shared reference is needed to pin the catalog", referencePath)
	}
	if err != nil {
		t.Fatal(err)
	}
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
		if a.Namespace != CISNamespace {
			t.Errorf("%s: namespace %q, want %q", a.ID, a.Namespace, CISNamespace)
		}
		if a.Description.JA == "" || !strings.HasPrefix(a.Description.EN, "Security Hub "+control+":") {
			t.Errorf("%s: descriptions %+v", a.ID, a.Description)
		}
	}
}
