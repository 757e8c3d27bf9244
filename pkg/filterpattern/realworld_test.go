package filterpattern

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realWorldFile holds JSON metric-filter patterns copied from public repositories and documents,
// one JSON object a line, with the host language's escaping undone. SEMANTICS.md, "Real-world
// pattern corpus", says how they were collected and what each field means.
const realWorldFile = "testdata/realworld/patterns.jsonl"

// The corpus must stay broad enough to say something about what people deploy.
const (
	minRealWorldPatterns = 150
	minRealWorldRepos    = 40
)

// realWorldRecordFiles are the CloudTrail records every real-world pattern is matched against. The
// shared corpus is extra evidence where the checkout has it (../../../shared is absent in a plain
// clone); the package's own records are always there.
var realWorldRecordFiles = []string{
	"testdata/cloudtrail.jsonl",
	"../../../shared/corpus/events.jsonl",
}

// knownGap lists deployed patterns that the engine still rejects, each only because an unquoted
// value contains '-' (issue 12, section 1). Every entry must keep failing with exactly that error;
// once the grammar accepts such values the test names the entries to delete, and the set ends
// empty.
var knownGap = map[string]bool{}

// unknownRepo marks a row whose text the code-search index holds without naming its repository:
// its evidence gives the index's file id and an excerpt of the file. Such rows are parsed and
// matched like the others but do not count toward minRealWorldRepos.
const unknownRepo = "unknown"

// minDeployedHyphen is how many deployed rows must carry an unquoted value with '-' (the grammar
// change of issue 12), so the corpus keeps exercising it: every such text found in public code
// (SEMANTICS.md, "Real-world pattern corpus").
const minDeployedHyphen = 3

// distinctKey is what makes two corpus rows the same pattern: the Canonical form of one that
// parses, else its text with whitespace outside double quotes removed.
func distinctKey(src string) string {
	if p, err := Parse(src); err == nil {
		return p.Canonical()
	}
	var b strings.Builder
	quoted := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case quoted && c == '\\' && i+1 < len(src):
			b.WriteByte(c)
			i++
			c = src[i]
		case c == '"':
			quoted = !quoted
		case !quoted && isSpace(c):
			continue
		}
		b.WriteByte(c)
	}
	return "unparsed:" + b.String()
}

// unquotedHyphen returns the first unquoted string value of src that contains '-' (not a number
// such as -5), or "". It reads values after a comparison operator, skipping "quoted" values,
// %regex% values and ['bracket'] names.
func unquotedHyphen(src string) string {
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case c == '%':
			if j := strings.IndexByte(src[i+1:], '%'); j >= 0 {
				i += j + 1
			}
		case c == '[' && strings.HasPrefix(src[i:], "['"):
			if j := strings.Index(src[i:], "']"); j >= 0 {
				i += j + 1
			}
		case c == '=' || c == '<' || c == '>':
			j := i + 1
			if j < len(src) && src[j] == '=' {
				j++
			}
			for j < len(src) && isSpace(src[j]) {
				j++
			}
			k := j
			for k < len(src) && !isSpace(src[k]) && strings.IndexByte(`(){}&|"%=!<>`, src[k]) < 0 {
				k++
			}
			tok := src[j:k]
			if _, num := parseDecimal([]byte(tok)); strings.Contains(tok, "-") && !num {
				return tok
			}
			i = k - 1
		}
	}
	return ""
}

type realWorldPattern struct {
	Pattern  string   `json:"pattern"`
	Repo     string   `json:"repo"`
	Path     string   `json:"path"`
	Commit   string   `json:"commit"`
	Source   string   `json:"source"`
	Deployed bool     `json:"deployed"`
	Expect   string   `json:"expect"`
	Evidence string   `json:"evidence"`
	Also     []string `json:"also"`
}

func (r realWorldPattern) where() string {
	if r.Path == "" {
		return r.Repo
	}
	return r.Repo + ":" + r.Path
}

// loadRealWorld reads realWorldFile and fails the test on a missing, empty or malformed file, so the
// corpus tests can never pass vacuously.
func loadRealWorld(t *testing.T) []realWorldPattern {
	t.Helper()
	data, err := os.ReadFile(realWorldFile)
	if err != nil {
		t.Fatalf("real-world corpus: %v", err)
	}
	var rows []realWorldPattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var r realWorldPattern
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%s line %d: %v", realWorldFile, line, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", realWorldFile, err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s holds no patterns", realWorldFile)
	}
	return rows
}

func TestRealWorldCorpusIsWellFormed(t *testing.T) {
	rows := loadRealWorld(t)
	seen := map[string]string{}
	canonical := map[string]bool{}
	identified := map[string]bool{} // canonical forms with an identified repository
	deployedCanonical := map[string]bool{}
	repos := map[string]int{}
	sources := map[string]int{}
	deployed, hyphen := 0, 0
	for i, r := range rows {
		at := fmt.Sprintf("row %d (%s)", i+1, r.where())
		if strings.TrimSpace(r.Pattern) == "" {
			t.Errorf("%s: empty pattern", at)
		}
		if r.Repo == unknownRepo {
			if r.Path != "" || r.Commit != "" || !strings.Contains(r.Evidence, "find_string id ") {
				t.Errorf("%s: a row of unknown repository has no path or commit, and its evidence gives the find_string id and an excerpt", at)
			}
		} else if strings.Count(r.Repo, "/") != 1 {
			t.Errorf("%s: repo %q is not owner/name", at, r.Repo)
		}
		if r.Source == "" || r.Evidence == "" {
			t.Errorf("%s: source and evidence are required", at)
		}
		switch r.Expect {
		case "accept", "reject", "":
		default:
			t.Errorf("%s: expect %q; want accept, reject or empty", at, r.Expect)
		}
		if r.Deployed && r.Expect != "accept" {
			t.Errorf("%s: deployed, so expect must be accept, not %q", at, r.Expect)
		}
		if prev, dup := seen[r.Pattern]; dup {
			t.Errorf("%s: pattern repeats %s; keep one row per exact text", at, prev)
		}
		seen[r.Pattern] = at
		key := distinctKey(r.Pattern)
		canonical[key] = true
		if r.Repo != unknownRepo {
			repos[r.Repo]++
			identified[key] = true
		}
		sources[r.Source]++
		if r.Deployed {
			deployed++
			deployedCanonical[key] = true
			if tok := unquotedHyphen(r.Pattern); tok != "" {
				if _, err := Parse(r.Pattern); err == nil {
					hyphen++
				}
			}
		}
	}
	if len(identified) < minRealWorldPatterns {
		t.Errorf("%d canonically distinct patterns from identified repositories (%d in all, %d exact texts); want at least %d", len(identified), len(canonical), len(seen), minRealWorldPatterns)
	}
	if len(repos) < minRealWorldRepos {
		t.Errorf("%d identified repositories; want at least %d", len(repos), minRealWorldRepos)
	}
	if hyphen < minDeployedHyphen {
		t.Errorf("%d deployed patterns that parse have an unquoted value with '-'; want at least %d", hyphen, minDeployedHyphen)
	}
	t.Logf("%d rows: %d exact texts, %d canonically distinct (%d from identified repositories); %d deployed (%d canonically distinct, %d with an unquoted '-' value); %d identified repositories; by source: %v",
		len(rows), len(seen), len(canonical), len(identified), deployed, len(deployedCanonical), hyphen, len(repos), sources)
}

// TestCorpusHelpers pins distinctKey and unquotedHyphen, which the corpus checks rely on.
func TestCorpusHelpers(t *testing.T) {
	same := [][2]string{
		{`{ ($.eventName = "CreateTrail") }`, `{$.eventName=CreateTrail}`},
		{`{ ($.a = 1) || (($.b = x)) }`, `{ $.a = 1 || $.b = "x" }`},
		{`{ $.a = "x y" && }`, `{ $.a = "x y"&&}`},
	}
	for _, p := range same {
		if distinctKey(p[0]) != distinctKey(p[1]) {
			t.Errorf("distinctKey(%q) = %q != distinctKey(%q) = %q", p[0], distinctKey(p[0]), p[1], distinctKey(p[1]))
		}
	}
	differ := [][2]string{
		{`{ $.a = 1 }`, `{ $.a = "1" }`},
		{`{ $.a = "x y" && }`, `{ $.a = "xy" && }`},
		{`{ ($.a = 1 || $.b = 2) && $.c = 3 }`, `{ $.a = 1 || $.b = 2 && $.c = 3 }`},
	}
	for _, p := range differ {
		if distinctKey(p[0]) == distinctKey(p[1]) {
			t.Errorf("distinctKey(%q) == distinctKey(%q) = %q", p[0], p[1], distinctKey(p[0]))
		}
	}
	for src, want := range map[string]string{
		`{ ($.eventSource = sso-directory.amazonaws.com) }`:     "sso-directory.amazonaws.com",
		`{$.a=x&&$.b=us-east-1}`:                                "us-east-1",
		`{ $.a = "us-east-1" && $.b = -5 && $.c < -1 }`:         "",
		`{ $.['a-b'] = x && $.c-d = y && $.e = %a-b% }`:         "",
		`{ $.a = "q\" = x-y" && $.b != wsc2024-instance-role }`: "wsc2024-instance-role",
	} {
		if got := unquotedHyphen(src); got != want {
			t.Errorf("unquotedHyphen(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestRealWorldPatternsParse holds the engine to the public evidence: a deployed pattern (or one
// otherwise known to be accepted) must parse, one AWS is known to have rejected must not. Patterns
// with no evidence either way (compliance texts and tools) are parsed for the round-trip and
// matching checks and listed when they fail, without failing the test.
func TestRealWorldPatternsParse(t *testing.T) {
	rows := loadRealWorld(t)
	var accepted, acceptOK, gap, rejected, rejectOK, unknown, unknownOK int
	stillGap := map[string]bool{}
	for _, r := range rows {
		_, err := Parse(r.Pattern)
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Errorf("%s: error %T is not a *SyntaxError: %v", r.where(), err, err)
		}
		switch r.Expect {
		case "accept":
			accepted++
			switch {
			case err == nil && knownGap[r.Pattern]:
				t.Errorf("%s: parses now; delete it from knownGap: %q", r.where(), r.Pattern)
				acceptOK++
			case err == nil:
				acceptOK++
			case knownGap[r.Pattern]:
				stillGap[r.Pattern] = true
				gap++
				if !strings.Contains(err.Error(), "contains '-'") {
					t.Errorf("%s: in knownGap for an unquoted '-', but fails with %v: %q", r.where(), err, r.Pattern)
				}
			default:
				t.Errorf("%s: deployed pattern rejected: %v\n\t%q\n\tevidence: %s", r.where(), err, r.Pattern, r.Evidence)
			}
		case "reject":
			rejected++
			if err == nil {
				t.Errorf("%s: AWS rejected this pattern but Parse accepts it: %q\n\tevidence: %s", r.where(), r.Pattern, r.Evidence)
			} else {
				rejectOK++
				t.Logf("rejected as AWS did (%s): %v", r.where(), err)
			}
		default:
			unknown++
			if err == nil {
				unknownOK++
			} else {
				t.Logf("no evidence either way, does not parse (%s): %v\n\t%q", r.where(), err, r.Pattern)
			}
		}
	}
	for p := range knownGap {
		if !stillGap[p] {
			found := false
			for _, r := range rows {
				found = found || r.Pattern == p
			}
			if !found {
				t.Errorf("knownGap entry is not in %s: %q", realWorldFile, p)
			}
		}
	}
	t.Logf("accepted by AWS: %d of %d parse, %d in knownGap; rejected by AWS: %d of %d rejected; no evidence: %d of %d parse",
		acceptOK, accepted, gap, rejectOK, rejected, unknownOK, unknown)
}

// TestRealWorldPatternsRoundTrip checks that String gives back the source text, and that the
// Canonical form parses, prints the same Canonical again, and matches exactly the same records.
func TestRealWorldPatternsRoundTrip(t *testing.T) {
	records := realWorldRecords(t)
	changed := 0
	for _, r := range loadRealWorld(t) {
		p, err := Parse(r.Pattern)
		if err != nil {
			continue // TestRealWorldPatternsParse judges this
		}
		if p.String() != r.Pattern {
			t.Errorf("%s: String() = %q; want the source %q", r.where(), p.String(), r.Pattern)
		}
		c := p.Canonical()
		if c != r.Pattern {
			changed++
		}
		q, err := Parse(c)
		if err != nil {
			t.Errorf("%s: Parse(Canonical()) fails: %v\n\tcanonical: %q", r.where(), err, c)
			continue
		}
		if qc := q.Canonical(); qc != c {
			t.Errorf("%s: Canonical() is not stable:\n\tonce:  %q\n\ttwice: %q", r.where(), c, qc)
		}
		for _, rec := range records {
			if p.Match(rec.data) != q.Match(rec.data) {
				t.Errorf("%s: %s record %d: %q and its canonical form %q match differently", r.where(), rec.file, rec.line, r.Pattern, c)
			}
		}
	}
	t.Logf("%d patterns print differently from their source in canonical form", changed)
}

// TestRealWorldPatternsMatchWithoutPanic matches every parsed real-world pattern against every
// record, alone and in one Set, and checks the two agree.
func TestRealWorldPatternsMatchWithoutPanic(t *testing.T) {
	records := realWorldRecords(t)
	var pats []*Pattern
	var rows []realWorldPattern
	for _, r := range loadRealWorld(t) {
		if p, err := Parse(r.Pattern); err == nil {
			pats = append(pats, p)
			rows = append(rows, r)
		}
	}
	if len(pats) == 0 {
		t.Fatal("no real-world pattern parses")
	}
	set := NewSet(pats...)
	hits := make([]bool, set.Len())
	matched := 0
	for _, rec := range records {
		if err := safeSetMatch(set, rec.data, hits); err != nil {
			t.Errorf("%s record %d: %v", rec.file, rec.line, err)
			continue
		}
		for i, p := range pats {
			alone, err := safeMatch(p, rec.data)
			if err != nil {
				t.Errorf("%s on %s record %d: %v", rows[i].where(), rec.file, rec.line, err)
				continue
			}
			if alone != hits[i] {
				t.Errorf("%s on %s record %d: Match = %v, Set.Match = %v", rows[i].where(), rec.file, rec.line, alone, hits[i])
			}
			if alone {
				matched++
			}
		}
	}
	t.Logf("%d patterns x %d records: %d matches", len(pats), len(records), matched)
}

type realWorldRecord struct {
	file string
	line int
	data []byte
}

// realWorldRecords loads the records of realWorldRecordFiles; the package's own file must exist.
func realWorldRecords(t *testing.T) []realWorldRecord {
	t.Helper()
	var out []realWorldRecord
	for i, name := range realWorldRecordFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			if i > 0 && errors.Is(err, os.ErrNotExist) {
				t.Logf("%s absent; matching the package's own records only", name)
				continue
			}
			t.Fatalf("records: %v", err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
		for line := 1; sc.Scan(); line++ {
			if b := bytes.TrimSpace(sc.Bytes()); len(b) > 0 {
				out = append(out, realWorldRecord{filepath.Base(name), line, append([]byte(nil), b...)})
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if len(out) == 0 {
		t.Fatal("no records to match")
	}
	return out
}

func safeMatch(p *Pattern, rec []byte) (hit bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("Match panicked: %v", v)
		}
	}()
	return p.Match(rec), nil
}

func safeSetMatch(s *Set, rec []byte, hits []bool) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("Set.Match panicked: %v", v)
		}
	}()
	return s.Match(rec, hits)
}
