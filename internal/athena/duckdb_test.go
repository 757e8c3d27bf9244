//go:build cgo

package athena

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	_ "github.com/marcboeker/go-duckdb" // DuckDB, the SQL engine of the differential tests
)

// dialect is the thin layer that lets DuckDB run the SQL text Athena gets, unchanged: temporary
// macros named after the few Trino functions the generated SQL uses, written with DuckDB's own
// functions. A temporary macro shadows DuckDB's built-in of the same name. docs/athena.md,
// "Differential test", explains each one.
var dialect = []string{
	// Trino's JSON path $["name"][0] as a JSON Pointer (/name/0), which DuckDB reads: '~' and '/'
	// in names escaped as ~0 and ~1 (RFC 6901). Like Trino's path, a pointer step does not tell an
	// index from a key; the generated SQL checks the parent's type where that matters.
	`CREATE TEMP MACRO tw_pointer(p) AS regexp_replace(regexp_replace(replace(replace(p, '~', '~0'), '/', '~1'), '^\$', ''), '\["([^"]*)"\]|\[([0-9]+)\]', '/\1\2', 'g')`,
	// json_extract(varchar, path) -> JSON: the value at the path (JSON null stays the JSON null),
	// or NULL when the path reaches nothing. The body calls the alias json_extract_path: a macro
	// that calls its own name (or the -> operator, which binds to it) cannot be bound.
	`CREATE TEMP MACRO json_extract(j, p) AS json_extract_path(CAST(j AS JSON), tw_pointer(p))`,
	// json_extract_scalar(varchar, path) -> varchar: a string's value or a number's or boolean's
	// text; NULL for null, objects, arrays and nothing.
	`CREATE TEMP MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(CAST(j AS JSON), tw_pointer(p)) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(CAST(j AS JSON), tw_pointer(p)) END`,
	// json_format(JSON) -> varchar: the JSON text.
	`CREATE TEMP MACRO json_format(j) AS CAST(j AS VARCHAR)`,
	// regexp_like(s, re): true when re matches somewhere in s (RE2 in DuckDB).
	`CREATE TEMP MACRO regexp_like(s, re) AS regexp_matches(s, re)`,
	// element_at(array, i): the 1-based element, NULL out of range (DuckDB's element_at is for maps).
	`CREATE TEMP MACRO element_at(a, i) AS list_extract(a, i)`,
	// from_iso8601_timestamp(varchar) -> timestamp; to_unixtime(ts) -> seconds. DuckDB without its ICU
	// extension has no TIMESTAMPTZ arithmetic; a TIMESTAMP cast reads the offset and gives UTC.
	`CREATE TEMP MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMP)`,
	`CREATE TEMP MACRO to_unixtime(ts) AS epoch(CAST(ts AS TIMESTAMP))`,
	// try(x): Trino's NULL-on-error. DuckDB 1.1 has no equivalent, so this one passes x through:
	// an impossible date would fail the DuckDB query instead of giving NULL (the test records
	// have none; the eventTime regex in front of it already rejects most malformed times).
	`CREATE TEMP MACRO try(x) AS x`,
}

// openDuckDB opens an in-memory DuckDB with the dialect layer and a table cloudtrail shaped like
// the Athena table (plus an id column, the record's index), holding records as the SerDe would.
// It returns the ids of the records that are rows (JSON objects).
func openDuckDB(t testing.TB, records []string) (*sql.DB, []bool) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // temporary macros live in one connection
	t.Cleanup(func() { db.Close() })
	for _, m := range dialect {
		if _, err := db.Exec(m); err != nil {
			t.Fatalf("dialect layer: %v\n%s", err, m)
		}
	}
	if _, err := db.Exec(`CREATE TEMP TABLE raw (id INTEGER, line VARCHAR)`); err != nil {
		t.Fatal(err)
	}
	isRow := make([]bool, len(records))
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	ins, err := tx.Prepare(`INSERT INTO raw VALUES (?, ?)`)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range records {
		row, ok := rowOf([]byte(r))
		if !ok {
			continue
		}
		isRow[i] = true
		if _, err := ins.Exec(i, row); err != nil {
			t.Fatal(err)
		}
	}
	ins.Close()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	create := `CREATE TEMP TABLE cloudtrail AS SELECT id, unnest(from_json(line, ` + quote(duckStructure()) + `)) FROM raw`
	if _, err := db.Exec(create); err != nil {
		t.Fatalf("%v\n%s", err, create)
	}
	return db, isRow
}

// matchedIDs runs the WHERE expressions exprs over the table in one query and returns, per
// expression, the set of ids it is true for.
func matchedIDs(db *sql.DB, exprs []string) ([]map[int]bool, error) {
	var b strings.Builder
	b.WriteString("SELECT id")
	for i, e := range exprs {
		fmt.Fprintf(&b, ",\n  (%s) AS m%d", e, i)
	}
	b.WriteString("\nFROM cloudtrail")
	rows, err := db.Query(b.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]map[int]bool, len(exprs))
	for i := range out {
		out[i] = map[int]bool{}
	}
	vals := make([]any, len(exprs)+1)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		id := int(vals[0].(int32))
		for i := range exprs {
			switch v := vals[i+1].(type) {
			case bool:
				if v {
					out[i][id] = true
				}
			default:
				return nil, fmt.Errorf("expression %d gave %#v for id %d, not a boolean (the SQL must never be NULL)", i, v, id)
			}
		}
	}
	return out, rows.Err()
}
