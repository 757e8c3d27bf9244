package catalog_test

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

func ids(rows []catalog.Alarm) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func TestSelectProfiles(t *testing.T) {
	aws, cis := ids(catalog.AWS()), ids(catalog.CIS())
	for _, c := range []struct {
		names   []string
		dedupe  bool
		want    []string
		dropped []string
	}{
		{[]string{"aws"}, false, aws, nil},
		{[]string{"cis"}, false, cis, nil},
		{[]string{"cis", "aws"}, false, append(append([]string{}, aws...), cis...), nil},
		{[]string{"aws", "cis"}, true,
			append([]string{"EC2InstanceChanges", "EC2LargeInstanceChanges"}, cis...),
			[]string{"SecurityGroupChanges", "NetworkAclChanges", "GatewayChanges", "VpcChanges", "CloudTrailChanges", "ConsoleSignInFailures", "AuthorizationFailures", "IAMPolicyChanges"}},
		{[]string{"aws"}, true, aws, nil},
	} {
		rows, dropped, err := catalog.Select(c.names, c.dedupe)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(rows); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Select(%v, %v) = %v, want %v", c.names, c.dedupe, got, c.want)
		}
		if !reflect.DeepEqual(dropped, c.dropped) {
			t.Errorf("Select(%v, %v) dropped %v, want %v", c.names, c.dedupe, dropped, c.dropped)
		}
		if err := catalog.Validate(rows); err != nil {
			t.Errorf("Select(%v, %v) rows are invalid: %v", c.names, c.dedupe, err)
		}
	}
	if _, _, err := catalog.Select([]string{"nist"}, false); err == nil || err.Error() != `unknown profile "nist"; allowed: aws, cis` {
		t.Errorf("unknown profile: %v", err)
	}
}

// A row that supersedes another must count exactly the same events: on every example record of
// both rows, on the repository's realistic records and (when present) the shared corpus, the two
// patterns agree.
func TestSupersedingRowsCountTheSameEvents(t *testing.T) {
	aws := catalog.AWS()
	records := readRepoRecords(t) // a missing file fails here
	// The shared corpus beside the checkout, when present, is extra evidence.
	if f, err := os.Open(filepath.Join(corpusDir, "events.jsonl")); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			records = append(records, append([]byte(nil), sc.Bytes()...))
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}
	pairs := 0
	for _, c := range catalog.CIS() {
		if c.Supersedes == "" {
			continue
		}
		a, ok := catalog.Find(aws, c.Supersedes)
		if !ok {
			t.Errorf("%s supersedes %q, which is not an AWS row", c.ID, c.Supersedes)
			continue
		}
		pairs++
		pc, pa := must(t, c.Pattern), must(t, a.Pattern)
		all := append([][]byte{}, records...)
		for _, r := range append(append(append([]string{}, a.Fires...), a.Quiet...), append(c.Fires, c.Quiet...)...) {
			all = append(all, []byte(r))
		}
		for _, r := range all {
			if pc.Match(r) != pa.Match(r) {
				t.Errorf("%s and %s disagree on %s", c.ID, a.ID, r)
			}
		}
	}
	if pairs != 8 {
		t.Errorf("%d superseding pairs, want 8", pairs)
	}
}

func must(t *testing.T, pattern string) *filterpattern.Pattern {
	t.Helper()
	p, err := filterpattern.Parse(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestResolve(t *testing.T) {
	for spec, want := range map[string][]string{
		"aws":                         ids(catalog.AWS()),
		"cis":                         ids(catalog.CIS()),
		" VpcChanges , Cis1RootUsage": {"VpcChanges", "Cis1RootUsage"},
		"VpcChanges,aws":              append([]string{"VpcChanges"}, without(ids(catalog.AWS()), "VpcChanges")...),
	} {
		rows, err := catalog.Resolve(spec)
		if err != nil {
			t.Errorf("%q: %v", spec, err)
			continue
		}
		if got := ids(rows); !reflect.DeepEqual(got, want) {
			t.Errorf("%q = %v, want %v", spec, got, want)
		}
	}
	for spec, want := range map[string]string{
		"aws,Nope,nist": "unknown Nope, nist; allowed: a profile (aws, cis) or alarm IDs such as SecurityGroupChanges, Cis1RootUsage",
		"Nope":          "unknown Nope; allowed: a profile (aws, cis) or alarm IDs such as SecurityGroupChanges, Cis1RootUsage",
		" , ":           "no alarm selected; allowed: a profile (aws, cis) or alarm IDs",
	} {
		if _, err := catalog.Resolve(spec); err == nil || err.Error() != want {
			t.Errorf("%q: error %v, want %q", spec, err, want)
		}
	}
}

func without(list []string, drop string) []string {
	var out []string
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}
