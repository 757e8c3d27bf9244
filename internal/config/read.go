package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"go.yaml.in/yaml/v3"
)

// Limits of the files trailwatch reads (the alarms file and the targets file). They bound the
// memory and time one file may cost; docs/configuration.md ("Limits") states them.
const (
	// MaxFileBytes is the largest alarms or targets file read: 256 KiB, over twice a file of 100
	// alarms (the most one log group takes) with example records (examples/alarms.yaml: 1 KiB an
	// alarm). Parsing costs at most about 190 bytes of memory per byte of file
	// (BenchmarkLargestFile: a YAML list of 131,072 zeros), so under 50 MB.
	MaxFileBytes = 256 << 10
	// MaxDepth is the deepest nesting of lists and maps in a file (an example record included).
	MaxDepth = 64
	// maxNodesFloor and maxNodesPerByte bound the values a file may expand to, YAML aliases
	// included: at most maxNodesFloor + maxNodesPerByte per byte of the file, and never more than
	// maxNodes. A "billion laughs" file stops here, with the line of the alias that went over.
	maxNodesFloor   = 1000
	maxNodesPerByte = 2
	maxNodes        = 200_000
)

// A JSON file has no aliases: each value takes a byte and all but the last a separator, so a file
// of at most MaxFileBytes holds fewer values than the YAML bound allows, and is not counted. This
// fails to compile if MaxFileBytes outgrows maxNodes.
const _ = uint(maxNodes - (MaxFileBytes/2 + 1))

// lineError is a problem at a line of a file (0: the file as a whole).
type lineError struct {
	line int
	msg  string
}

// readBounded reads a regular file of at most MaxFileBytes.
func readBounded(path string) ([]byte, string) {
	// Non-blocking: opening a named pipe must not wait for a writer (a regular file ignores it).
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, "cannot be read: " + describeErr(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, "cannot be read: " + describeErr(err)
	}
	if !info.Mode().IsRegular() {
		what := "a directory"
		if !info.IsDir() {
			what = "a device, pipe or socket"
		}
		return nil, "is " + what + ", not a regular file; allowed: a path to a JSON or YAML file"
	}
	raw, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, "cannot be read: " + describeErr(err)
	}
	if len(raw) > MaxFileBytes {
		return nil, fmt.Sprintf("is larger than %d bytes (%d KiB); allowed: at most %d bytes", MaxFileBytes, MaxFileBytes>>10, MaxFileBytes)
	}
	return raw, ""
}

func describeErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// parseFile reads raw as JSON (a .json file) or YAML (anything else) into a node tree.
func parseFile(path string, raw []byte) (*node, *lineError) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return parseJSON(raw)
	}
	return parseYAML(raw, min(maxNodesFloor+maxNodesPerByte*len(raw), maxNodes))
}

// jsonReader walks a JSON document token by token, so that it sees every key (json.Unmarshal
// would keep the last of two, and match keys case-insensitively) and knows each one's line.
type jsonReader struct {
	dec      *json.Decoder
	raw      []byte
	off      int // offset counted up to
	line     int
	lastLine int
}

func parseJSON(raw []byte) (*node, *lineError) {
	r := &jsonReader{dec: json.NewDecoder(bytes.NewReader(raw)), raw: raw, line: 1}
	r.dec.UseNumber()
	tok, err := r.token()
	if err == io.EOF {
		return nil, &lineError{0, "is empty"}
	}
	if err != nil {
		return nil, r.syntax(err)
	}
	n, lerr := r.value(tok, 1)
	if lerr != nil {
		return nil, lerr
	}
	if _, err := r.token(); err != io.EOF {
		if err != nil {
			return nil, r.syntax(err)
		}
		return nil, &lineError{r.lastLine, "a second JSON document starts here; allowed: one JSON document per file"}
	}
	return n, nil
}

func (r *jsonReader) token() (json.Token, error) {
	tok, err := r.dec.Token()
	if err == nil {
		off := int(r.dec.InputOffset())
		r.line += bytes.Count(r.raw[r.off:off], []byte("\n"))
		r.off = off
		r.lastLine = r.line
	}
	return tok, err
}

func (r *jsonReader) syntax(err error) *lineError {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		off := min(int(syn.Offset), len(r.raw))
		return &lineError{bytes.Count(r.raw[:off], []byte("\n")) + 1, "is not valid JSON: " + syn.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		return &lineError{bytes.Count(r.raw, []byte("\n")) + 1, "is not valid JSON: it ends before the document is complete"}
	}
	return &lineError{r.lastLine, "is not valid JSON: " + err.Error()}
}

func (r *jsonReader) value(tok json.Token, depth int) (*node, *lineError) {
	line := r.lastLine
	switch v := tok.(type) {
	case string:
		return &node{kind: stringNode, line: line, text: v}, nil
	case json.Number:
		return &node{kind: numberNode, line: line, text: string(v)}, nil
	case bool:
		return &node{kind: boolNode, line: line, text: strconv.FormatBool(v)}, nil
	case nil:
		return &node{kind: nullNode, line: line, text: "null"}, nil
	case json.Delim:
		if depth > MaxDepth {
			return nil, &lineError{line, fmt.Sprintf("nests lists and maps more than %d deep; allowed: at most %d", MaxDepth, MaxDepth)}
		}
		n := &node{kind: listNode, line: line}
		if v == '{' {
			n.kind = mapNode
		}
		seen := map[string]int{}
		for {
			t, err := r.token()
			if err != nil {
				return nil, r.syntax(err)
			}
			if d, ok := t.(json.Delim); ok && (d == '}' || d == ']') {
				return n, nil
			}
			if n.kind == mapNode {
				k := t.(string) // the decoder gives only strings in key position
				if first, dup := seen[k]; dup {
					return nil, &lineError{r.lastLine, fmt.Sprintf("key %s is given twice (first on line %d); allowed: each key once", strconv.Quote(k), first)}
				}
				seen[k] = r.lastLine
				n.keys = append(n.keys, &node{kind: stringNode, line: r.lastLine, text: k})
				if t, err = r.token(); err != nil {
					return nil, r.syntax(err)
				}
			}
			item, lerr := r.value(t, depth+1)
			if lerr != nil {
				return nil, lerr
			}
			n.items = append(n.items, item)
		}
	}
	return nil, &lineError{line, fmt.Sprintf("holds an unexpected %v", tok)}
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

func parseYAML(raw []byte, budget int) (*node, *lineError) {
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, &lineError{0, "is empty"}
		}
		return nil, yamlError(err)
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case err == nil: // a document has one root, as below
		return nil, &lineError{second.Content[0].Line, "a second YAML document starts here (---); allowed: one document per file"}
	case err != io.EOF:
		return nil, yamlError(err)
	}
	c := &yamlConverter{budget: budget, limit: budget}
	return c.convert(doc.Content[0], 1) // a document has one root (null for a bare "---")
}

func yamlError(err error) *lineError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &lineError{line, "is not valid YAML: " + m[2]}
	}
	return &lineError{0, "is not valid YAML: " + msg}
}

type yamlConverter struct {
	budget, limit int
}

func (c *yamlConverter) convert(y *yaml.Node, depth int) (*node, *lineError) {
	if c.budget--; c.budget < 0 {
		return nil, &lineError{y.Line, tooManyValues(c.limit)}
	}
	if depth > MaxDepth && (y.Kind == yaml.SequenceNode || y.Kind == yaml.MappingNode) {
		return nil, &lineError{y.Line, fmt.Sprintf("nests lists and maps more than %d deep (YAML aliases included); allowed: at most %d", MaxDepth, MaxDepth)}
	}
	switch y.Kind {
	case yaml.AliasNode: // yaml.v3 refuses an alias to no anchor ("unknown anchor")
		n, err := c.convert(y.Alias, depth) // what it names takes its place
		if err != nil {
			err.line = y.Line // the outermost alias: the place the user wrote
		}
		if n != nil {
			clone := *n
			clone.line = y.Line
			n = &clone
		}
		return n, err
	case yaml.SequenceNode:
		n := &node{kind: listNode, line: y.Line}
		for _, item := range y.Content {
			v, err := c.convert(item, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, v)
		}
		return n, nil
	case yaml.MappingNode:
		n := &node{kind: mapNode, line: y.Line}
		seen := map[string]int{}
		for i := 0; i+1 < len(y.Content); i += 2 {
			ky := y.Content[i]
			if ky.Kind == yaml.AliasNode && ky.Alias != nil {
				ky = ky.Alias
			}
			if ky.Kind != yaml.ScalarNode {
				return nil, &lineError{y.Content[i].Line, "has a key that is a list or map; allowed: a text key"}
			}
			if ky.Tag == "!!merge" {
				return nil, &lineError{ky.Line, "has a YAML merge key (<<), which trailwatch does not read; allowed: the keys written out (a targets file's defaults apply to every target)"}
			}
			if first, dup := seen[ky.Value]; dup {
				return nil, &lineError{ky.Line, fmt.Sprintf("key %s is given twice (first on line %d); allowed: each key once", strconv.Quote(ky.Value), first)}
			}
			seen[ky.Value] = ky.Line
			v, err := c.convert(y.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, &node{kind: stringNode, line: ky.Line, text: ky.Value})
			n.items = append(n.items, v)
		}
		return n, nil
	default: // yaml.ScalarNode: the decoder gives no other kind inside a document
		n := &node{line: y.Line, text: y.Value}
		switch y.ShortTag() {
		case "!!str", "!!timestamp":
			n.kind = stringNode // a date stays the text it is; no key takes a YAML date
		case "!!int", "!!float":
			n.kind = numberNode
		case "!!bool":
			n.kind = boolNode
			n.text = strconv.FormatBool(strings.EqualFold(y.Value, "true"))
		case "!!null":
			n.kind = nullNode
		default:
			return nil, &lineError{y.Line, fmt.Sprintf("has a value tagged %s, which trailwatch does not read; allowed: texts, numbers, true/false, lists and maps", oneLine(y.ShortTag()))}
		}
		return n, nil
	}
}

func tooManyValues(limit int) string {
	return fmt.Sprintf("expands to more than %d values (YAML aliases included); allowed: at most %d plus %d per byte of the file, and never more than %d",
		limit, maxNodesFloor, maxNodesPerByte, maxNodes)
}
