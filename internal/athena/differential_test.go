//go:build cgo

package athena

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// The differential tests run every translated pattern on DuckDB over a table shaped like the
// Athena table and require its matches to equal the engine's on every record: 100 %, or a
// refusal (a *RefusalError naming the construct). docs/athena.md, "Differential test".

const (
	realWorldFile  = "../../pkg/filterpattern/testdata/realworld/patterns.jsonl"
	cloudTrailFile = "../../pkg/filterpattern/testdata/cloudtrail.jsonl"
	semanticsFile  = "../../pkg/filterpattern/semantics_test.go"
	// sharedCorpus is extra evidence where the checkout has it (absent in a plain clone): the
	// first shared/corpus/events.jsonl in a directory above this package.
	sharedCorpus = "shared/corpus/events.jsonl"
)

// findUp returns rel in the nearest directory above the package that has it, or rel itself.
func findUp(rel string) string {
	dir := "../.."
	for range 4 {
		dir = "../" + dir
		if _, err := os.Stat(dir + "/" + rel); err == nil {
			return dir + "/" + rel
		}
	}
	return rel
}

func readLines(t *testing.T, path string, must bool) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		if must {
			t.Fatal(err)
		}
		t.Logf("%s: %v (skipped)", path, err)
		return nil
	}
	var out []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			out = append(out, sc.Text())
		}
	}
	return out
}

// catalogRows are the rows of every profile, once each.
func catalogRows() []catalog.Alarm {
	var out []catalog.Alarm
	seen := map[string]bool{}
	for _, p := range catalog.Profiles {
		for _, r := range p.Rows() {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// cloudTrailRecords are the catalog's proof records, the engine's CloudTrail test records and the
// shared corpus.
func cloudTrailRecords(t *testing.T) []string {
	var recs []string
	for _, r := range catalogRows() {
		recs = append(recs, r.Fires...)
		recs = append(recs, r.Quiet...)
	}
	recs = append(recs, readLines(t, cloudTrailFile, true)...)
	return append(recs, readLines(t, findUp(sharedCorpus), false)...)
}

// coverage counts translated and refused patterns, by refused construct.
type coverage struct {
	translated int
	outside    map[string]int // records outside the table model, by reason
	refused    map[string]int
	examples   map[string]string
}

func (c *coverage) total() int {
	n := 0
	for _, v := range c.refused {
		n += v
	}
	return n
}

func (c *coverage) String() string {
	keys := make([]string, 0, len(c.refused))
	for k := range c.refused {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%d translated", c.translated)
	for _, k := range keys {
		fmt.Fprintf(&b, "; %d refused (%s), e.g. %s", c.refused[k], k, c.examples[k])
	}
	return b.String()
}

// differential translates patterns, runs them on DuckDB over records, and reports every record on
// which DuckDB and the engine disagree. It returns the coverage.
//
// Records with duplicate keys, and (unless lifted) records that break the table model's CloudTrail
// rules, are counted, not compared: the SQL cannot see what the engine sees there.
// Lifted records put the engine's own test values under requestParameters, where no CloudTrail
// rule applies, so only duplicate keys exclude them.
func differential(t *testing.T, name string, patterns, records []string, lifted bool) *coverage {
	t.Helper()
	cov := &coverage{refused: map[string]int{}, examples: map[string]string{}}
	var exprs, kept []string
	for _, p := range slices.Compact(slices.Sorted(slices.Values(patterns))) {
		w, err := Where(p)
		var re *RefusalError
		switch {
		case errors.As(err, &re):
			cov.refused[re.Construct]++
			if cov.examples[re.Construct] == "" {
				cov.examples[re.Construct] = strconv.Quote(p) + ": " + err.Error()
			}
			continue
		case err != nil:
			t.Errorf("Where(%q): %v is no *RefusalError", p, err)
			continue
		}
		cov.translated++
		exprs = append(exprs, w)
		kept = append(kept, p)
	}
	db, isRow := openDuckDB(t, records)
	start := time.Now()
	got, err := matchedIDsBatched(db, exprs)
	if err != nil {
		// Find the expression DuckDB cannot run.
		for i, e := range exprs {
			if _, err := matchedIDs(db, []string{e}); err != nil {
				t.Errorf("%s: DuckDB cannot run the SQL of %q: %v\n%s", name, kept[i], err, e)
			}
		}
		return cov
	}
	elapsed := time.Since(start)
	checked, mismatches, duplicates := 0, 0, 0
	dup := make([]bool, len(records))
	outside := map[string]int{}
	for id, rec := range records {
		if !isRow[id] {
			continue
		}
		if hasDuplicateKeys([]byte(rec)) {
			dup[id] = true
			duplicates++
		} else if why := outsideModel([]byte(rec)); why != "" && !lifted {
			dup[id] = true
			outside[why]++
		}
	}
	for i, p := range kept {
		fp, err := filterpattern.Parse(p)
		if err != nil {
			t.Fatalf("translated a pattern the engine rejects: %q", p)
		}
		for id, rec := range records {
			if !isRow[id] || dup[id] {
				continue
			}
			checked++
			want := fp.Match([]byte(rec))
			if got[i][id] != want {
				mismatches++
				if mismatches <= 30 {
					t.Errorf("%s: %s\n  on %s\n  SQL %v, engine %v\n  SQL: %s", name, p, rec, got[i][id], want, exprs[i])
				}
			}
		}
	}
	rows := 0
	for _, r := range isRow {
		if r {
			rows++
		}
	}
	t.Logf("%s: %d distinct patterns (%s) x %d rows (not compared: %d with duplicate keys, outside the model %v): %d pattern-record pairs, %d disagree; DuckDB %v (queries of 16 patterns)",
		name, cov.translated+cov.total(), cov, rows, duplicates, outside, checked, mismatches, elapsed.Round(time.Millisecond))
	cov.outside = outside
	return cov
}

// TestDifferentialCatalog: every pattern of every catalog row (and its benchmark pattern) over the
// proof records, the engine's CloudTrail records and the shared corpus.
func TestDifferentialCatalog(t *testing.T) {
	var patterns []string
	for _, r := range catalogRows() {
		patterns = append(patterns, r.Pattern)
		if r.BenchmarkPattern != "" {
			patterns = append(patterns, r.BenchmarkPattern)
		}
	}
	cov := differential(t, "catalog", patterns, cloudTrailRecords(t), false)
	// The catalog is what trailwatch deploys: every row must translate.
	if len(cov.refused) > 0 {
		t.Errorf("catalog patterns refused: %s", cov)
	}
}

// TestDifferentialRealWorld: the real-world pattern corpus over the same records.
func TestDifferentialRealWorld(t *testing.T) {
	var patterns []string
	for _, line := range readLines(t, realWorldFile, true) {
		var r struct {
			Pattern string `json:"pattern"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		patterns = append(patterns, r.Pattern)
	}
	if len(patterns) < 150 {
		t.Fatalf("only %d real-world patterns", len(patterns))
	}
	differential(t, "real-world", patterns, cloudTrailRecords(t), false)
}

// TestDifferentialSemantics: every check(t, pattern, yes(record), no(record)) of the engine's
// semantics tests whose pattern and records are literals, lifted under requestParameters (the
// fields of those tests are not columns of the table; inside a JSON-text column every selector
// can be reached): $.x becomes $.requestParameters.x and a record R becomes
// {"requestParameters": R}. The lifted pair must keep the test's expected answer on the engine,
// and DuckDB must agree with the engine on every lifted record for every lifted pattern.
func TestDifferentialSemantics(t *testing.T) {
	cases := semanticsCases(t)
	if len(cases) < 100 {
		t.Fatalf("only %d literal cases read from %s", len(cases), semanticsFile)
	}
	var patterns, records []string
	seen := map[string]bool{}
	lifted := 0
	for _, c := range cases {
		lp := strings.ReplaceAll(c.pattern, "$.", "$.requestParameters.")
		patterns = append(patterns, lp)
		for _, r := range c.rows {
			rec := strings.TrimSpace(r.record)
			if !strings.HasPrefix(rec, "{") || !json.Valid([]byte(rec)) {
				continue // not a row of the table; the engine matches no JSON pattern on it
			}
			lr := `{"requestParameters":` + r.record + `}`
			fp, err := filterpattern.Parse(lp)
			if err != nil {
				t.Fatalf("lifted pattern %q: %v", lp, err)
			}
			if fp.Match([]byte(lr)) != r.want {
				t.Errorf("lifting changed the engine's answer: %s on %s", lp, lr)
			}
			lifted++
			if !seen[lr] {
				seen[lr] = true
				records = append(records, lr)
			}
		}
	}
	t.Logf("%d literal semantics cases, %d lifted pattern-record pairs", len(cases), lifted)
	differential(t, "semantics", patterns, records, true)
}

type semanticsCase struct {
	pattern string
	rows    []struct {
		record string
		want   bool
	}
}

// semanticsCases reads the engine's semantics tests with go/parser and returns each
// check(t, P, yes(R)/no(R)...) whose P and Rs are string literals, constants of the enclosing
// function, or the variable of a range over a literal list.
func semanticsCases(t *testing.T) []semanticsCase {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, semanticsFile, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []semanticsCase
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		consts := map[string]string{}
		ranges := map[string][]string{}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GenDecl:
				for _, s := range n.Specs {
					if vs, ok := s.(*ast.ValueSpec); ok && len(vs.Values) == len(vs.Names) {
						for i, v := range vs.Values {
							if s, ok := literal(v, consts); ok {
								consts[vs.Names[i].Name] = s
							}
						}
					}
				}
			case *ast.RangeStmt:
				id, ok := n.Value.(*ast.Ident)
				cl, ok2 := n.X.(*ast.CompositeLit)
				if ok && ok2 {
					var list []string
					for _, e := range cl.Elts {
						if s, ok := literal(e, consts); ok {
							list = append(list, s)
						}
					}
					if len(list) == len(cl.Elts) {
						ranges[id.Name] = list
					}
				}
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); !ok || id.Name != "check" || len(n.Args) < 3 {
					return true
				}
				var pats []string
				if s, ok := literal(n.Args[1], consts); ok {
					pats = []string{s}
				} else if id, ok := n.Args[1].(*ast.Ident); ok {
					pats = ranges[id.Name]
				}
				var c semanticsCase
				for _, a := range n.Args[2:] {
					call, ok := a.(*ast.CallExpr)
					if !ok || len(call.Args) != 1 {
						return true
					}
					name, _ := call.Fun.(*ast.Ident)
					rec, ok := literal(call.Args[0], consts)
					if name == nil || !ok || (name.Name != "yes" && name.Name != "no") {
						return true
					}
					c.rows = append(c.rows, struct {
						record string
						want   bool
					}{rec, name.Name == "yes"})
				}
				for _, p := range pats {
					c.pattern = p
					out = append(out, c)
				}
			}
			return true
		})
	}
	return out
}

func literal(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	}
	return "", false
}

// TestDifferentialTypedColumns: patterns on the typed columns (struct fields, resources, readOnly)
// over CloudTrail-shaped records written to hit each rule's edge: LIKE's own characters in values,
// a trailing newline against '$', keys in another case, missing and present struct fields,
// resources beyond the array's end.
func TestDifferentialTypedColumns(t *testing.T) {
	records := []string{
		`{"eventName":"CreateVpc","readOnly":false,"userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root"},"eventType":"AwsApiCall"}`,
		`{"eventName":"CreateVpc\n","readOnly":true,"userIdentity":{"type":"Root","invokedBy":"cloudtrail.amazonaws.com"},"eventType":"AwsServiceEvent"}`,
		`{"eventname":"createvpc","EventName":"Create_Vpc","readonly":true,"useridentity":{"TYPE":"IAMUser"}}`,
		`{"eventName":"a%b_c\\d","errorCode":"Client.UnauthorizedOperation","resources":[{"ARN":"arn:aws:s3:::b","accountId":"111122223333","type":"AWS::S3::Bucket"}]}`,
		`{"eventName":"axbyc\\d","errorCode":"AccessDeniedException","resources":[{"ARN":"arn:aws:s3:::c"},{"ARN":"arn:aws:kms:us-east-1:1:key/k","type":"AWS::KMS::Key"}]}`,
		`{"eventName":"ConsoleLogin","userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"userName":"admin","type":"Role"},"attributes":{"mfaAuthenticated":"false"}}},"resources":[]}`,
		`{"eventName":"","sourceIPAddress":"203.0.113.7","recipientAccountId":"123456789012","tlsDetails":{"tlsVersion":"TLSv1.2"}}`,
		`{"eventName":"ÉvénementΣ","sourceIPAddress":"2001:db8::1","userIdentity":null,"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256"}}`,
		`{}`,
	}
	patterns := []string{
		`{ $.eventName = CreateVpc }`, `{ $.eventName != CreateVpc }`, `{ $.eventName = "" }`, `{ $.eventName = * }`,
		`{ $.eventName = %^CreateVpc$% }`, `{ $.eventName = %CreateVpc$% }`, `{ $.eventName = %^Create% }`, `{ $.eventName = %\s% }`,
		`{ $.eventName = "a%b_c\\d" }`, `{ $.eventName = "a%b*" }`, `{ $.eventName = "*_c\\d" }`, `{ $.eventName = "*%b_*" }`,
		`{ $.eventName = %[^\w]% }`, `{ $.eventName = %^.{10}$% }`, `{ $.eventName = "Év*" }`,
		`{ $.readOnly IS TRUE }`, `{ $.readOnly IS FALSE }`, `{ $.readOnly NOT EXISTS }`, `{ $.readOnly = true }`, `{ $.readOnly != x }`,
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
		`{ $.userIdentity NOT EXISTS }`, `{ $.userIdentity = * }`, `{ $.userIdentity.type NOT EXISTS }`,
		`{ $.userIdentity.sessionContext.sessionIssuer.userName = admin }`,
		`{ $.userIdentity.sessionContext.attributes.mfaAuthenticated != "true" }`,
		`{ $.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*" }`,
		`{ $.resources[0].ARN = "arn:aws:s3:::*" }`, `{ $.resources[1].type = "AWS::KMS::Key" }`, `{ $.resources[1] NOT EXISTS }`,
		`{ $.resources[0].accountId != 111122223333 }`, `{ $.resources NOT EXISTS }`, `{ $.resources[0] = * }`,
		`{ $.recipientAccountId = 123456789012 }`, `{ $.recipientAccountId >= 1 }`, `{ $.sourceIPAddress != 203.0.113.* }`,
		`{ $.tlsDetails.tlsVersion = TLSv1.* && $.tlsDetails.cipherSuite NOT EXISTS }`,
	}
	cov := differential(t, "typed columns", patterns, records, false)
	if len(cov.refused) > 0 {
		t.Errorf("refused: %s", cov)
	}
	// Exactly the two records written to break the model are left out.
	want := map[string]int{"$.EventName is eventName in another case": 1, "$.userIdentity is not an object": 1}
	if fmt.Sprint(cov.outside) != fmt.Sprint(want) {
		t.Errorf("records outside the model: %v, want %v", cov.outside, want)
	}
}

// matchedIDsBatched is matchedIDs over batches of expressions: DuckDB plans a query of a few
// hundred large expressions far more slowly than several smaller ones.
func matchedIDsBatched(db *sql.DB, exprs []string) ([]map[int]bool, error) {
	const batch = 16
	var out []map[int]bool
	for i := 0; i < len(exprs); i += batch {
		got, err := matchedIDs(db, exprs[i:min(i+batch, len(exprs))])
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}
