package athena

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// rowOf reads a CloudTrail record the way the table's SerDe (org.apache.hive.hcatalog.data.JsonSerDe,
// as the Athena user guide's DDL declares it) fills a row, and returns the row as a JSON object
// keyed by SQL column name, typed exactly as the columns are, for DuckDB's from_json. ok is false
// for a record that is not a JSON object: such a line is no row of the table.
//
// The model (docs/athena.md, "The table"):
//   - record keys match columns and struct fields without regard to case;
//   - a STRING column or field gets a JSON string's value, a number's or boolean's text, and for an
//     object or array its JSON text; null and a missing key give NULL;
//   - a JSON-text column (requestparameters ...) gets the value's JSON text as written;
//   - a STRUCT gets an object's fields (anything else gives NULL); an ARRAY<STRUCT> an array's
//     objects;
//   - keys the table does not declare are dropped.
func rowOf(record []byte) (row string, ok bool) {
	t := bytes.TrimSpace(record)
	if len(t) == 0 || t[0] != '{' || !json.Valid(t) || !utf8.Valid(t) {
		return "", false
	}
	out := structOf(columns, json.RawMessage(t))
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	return string(b), true
}

func structOf(fields []field, raw json.RawMessage) map[string]any {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return nil
	}
	out := map[string]any{}
	for _, f := range fields {
		v, ok := m[f.json]
		if !ok {
			for k, kv := range m {
				if strings.EqualFold(k, f.json) {
					v, ok = kv, true
				}
			}
		}
		if !ok || string(v) == "null" {
			continue
		}
		switch f.kind {
		case kString, kBool:
			out[f.sql] = scalarText(v)
		case kJSON:
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[f.sql] = s
			} else {
				out[f.sql] = string(v)
			}
		case kStruct:
			if s := structOf(f.kids, v); s != nil {
				out[f.sql] = s
			}
		case kArray:
			var items []json.RawMessage
			if json.Unmarshal(v, &items) != nil {
				continue
			}
			list := make([]any, len(items))
			for i, it := range items {
				if s := structOf(f.kids, it); s != nil {
					list[i] = s
				}
			}
			out[f.sql] = list
		case kMap:
			var mm map[string]any
			if json.Unmarshal(v, &mm) != nil {
				continue
			}
			sm := map[string]string{}
			for k, x := range mm {
				if x == nil {
					continue
				}
				b, _ := json.Marshal(x)
				if s, ok := x.(string); ok {
					sm[k] = s
				} else {
					sm[k] = string(b)
				}
			}
			out[f.sql] = sm
		}
	}
	return out
}

// scalarText is the text a STRING column gets for a non-null JSON value.
func scalarText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(v))
}

// duckType spells f's type for DuckDB's from_json structure argument.
func duckType(f field) any {
	switch f.kind {
	case kStruct, kArray:
		m := map[string]any{}
		for _, k := range f.kids {
			m[k.sql] = duckType(k)
		}
		if f.kind == kArray {
			return []any{m}
		}
		return m
	case kMap:
		return "MAP(VARCHAR, VARCHAR)"
	}
	return "VARCHAR"
}

// duckStructure is from_json's structure argument for a whole row.
func duckStructure() string {
	m := map[string]any{}
	for _, c := range columns {
		m[c.sql] = duckType(c)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// hasDuplicateKeys reports an object, at any depth, with a key twice. The engine reads the last
// occurrence; Trino's JSON functions and DuckDB's read the first, and the SerDe's choice is
// undocumented. CloudTrail does not write duplicate keys, so such records are outside the table
// model (docs/athena.md) and the differential tests count them instead of comparing.
func hasDuplicateKeys(record []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(record))
	type frame struct {
		obj  bool
		seen map[string]bool
		key  bool // the next string token in an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.obj && top.key {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			k := tok.(string)
			if top.seen[k] {
				return true
			}
			top.seen[k] = true
			top.key = false
			continue
		}
		if top != nil && top.obj {
			top.key = true // this token is the value; the next is a key
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{obj: true, seen: map[string]bool{}, key: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
}

// outsideModel says why a record breaks the table model's CloudTrail rules (docs/athena.md, "The
// table model", rules 2 and 6), or "" when it keeps them: keys of declared fields in CloudTrail's
// spelling, typed fields holding their CloudTrail type (strings; readOnly a boolean) and never
// null, structs objects, resources an array of objects, JSON-text fields objects or null. On such
// a record the SQL cannot see what the engine sees, so the differential tests count it instead of
// comparing.
func outsideModel(record []byte) string {
	return checkFields(columns, json.RawMessage(bytes.TrimSpace(record)), "$")
}

func checkFields(fields []field, raw json.RawMessage, at string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return at + " is not an object"
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		f, folded := lookup(fields, k)
		if f == nil {
			if folded != nil {
				return at + "." + k + " is " + folded.json + " in another case"
			}
			continue
		}
		p := at + "." + k
		t := bytes.TrimSpace(v)
		isNull := string(t) == "null"
		switch f.kind {
		case kString:
			if t[0] != '"' {
				return p + " is not a string"
			}
		case kBool:
			if s := string(t); s != "true" && s != "false" {
				return p + " is not a boolean"
			}
		case kJSON:
			if !isNull && t[0] != '{' {
				return p + " is not an object or null"
			}
		case kStruct:
			if t[0] != '{' {
				return p + " is not an object"
			}
			if why := checkFields(f.kids, v, p); why != "" {
				return why
			}
		case kArray:
			var items []json.RawMessage
			if json.Unmarshal(v, &items) != nil {
				return p + " is not an array"
			}
			for i, it := range items {
				if why := checkFields(f.kids, it, fmt.Sprintf("%s[%d]", p, i)); why != "" {
					return why
				}
			}
		}
	}
	return ""
}
