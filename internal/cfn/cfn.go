// Package cfn reads the few CloudFormation intrinsics trailwatch's synthesized templates put in
// string properties: a plain string, Fn::Join of fixed parts, Fn::Sub without variables, and, in a
// filter pattern, Fn::Join over names known only at deploy time (Ref, Fn::GetAtt). Replay and
// doctor both read templates through it, so they agree on what a template says.
package cfn

import (
	"bytes"
	"encoding/json"
	"strings"
)

// StaticString resolves a template value that is a string, or an intrinsic whose value is fixed
// at synthesis: Fn::Join of fixed parts, Fn::Sub without variables.
func StaticString(raw json.RawMessage) (string, bool) { return staticString(raw, 0) }

// maxIntrinsicDepth bounds how deeply nested Fn::Join intrinsics are resolved. The CDK nests one or
// two; resolving each level re-decodes the levels inside it, so a hostile template nesting
// thousands took seconds per value. A deeper one counts as not fixed at synthesis.
const maxIntrinsicDepth = 8

func staticString(raw json.RawMessage, depth int) (string, bool) {
	// JSON null decodes into a string without error; in a template it is no string at all.
	if raw == nil || depth > maxIntrinsicDepth || string(bytes.TrimSpace(raw)) == "null" {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var fn map[string]json.RawMessage
	if json.Unmarshal(raw, &fn) != nil || len(fn) != 1 {
		return "", false
	}
	if j, ok := fn["Fn::Join"]; ok {
		sep, parts, ok := join(j, depth+1)
		if !ok {
			return "", false
		}
		out := make([]string, len(parts))
		for i, p := range parts {
			if out[i], ok = staticString(p, depth+1); !ok {
				return "", false
			}
		}
		return strings.Join(out, sep), true
	}
	if sub, ok := fn["Fn::Sub"]; ok {
		var s string
		if json.Unmarshal(sub, &s) == nil && !strings.Contains(s, "${") {
			return s, true
		}
	}
	return "", false
}

// Pattern reads a FilterPattern: a static string, or an Fn::Join whose parts are strings or names
// known only at deploy time — a Ref or Fn::GetAtt, such as the generated bucket names trailwatch's
// tamper rows match (catalog.Tamper). Such a name stands in the text as ${LogicalId} (or
// ${LogicalId.Attribute}), a value no CloudTrail record holds; refs lists those placeholders'
// names in order of appearance, so a caller that knows the deployed names can put them in
// (Resolve).
func Pattern(raw json.RawMessage) (text string, refs []string, ok bool) {
	if s, ok := StaticString(raw); ok {
		return s, nil, true
	}
	var fn map[string]json.RawMessage
	if json.Unmarshal(raw, &fn) != nil || len(fn) != 1 || fn["Fn::Join"] == nil {
		return "", nil, false
	}
	// The same levels as StaticString's: this Fn::Join is the first, its separator and parts the second.
	sep, parts, ok := join(fn["Fn::Join"], 1)
	if !ok {
		return "", nil, false
	}
	out := make([]string, len(parts))
	for i, part := range parts {
		if out[i], ok = staticString(part, 1); ok {
			continue
		}
		var ref struct {
			Ref    string
			GetAtt []string `json:"Fn::GetAtt"`
		}
		switch {
		case json.Unmarshal(part, &ref) != nil:
			return "", nil, false
		case ref.Ref != "":
			refs = append(refs, ref.Ref)
		case len(ref.GetAtt) == 2:
			refs = append(refs, ref.GetAtt[0]+"."+ref.GetAtt[1])
		default:
			return "", nil, false
		}
		out[i] = "${" + refs[len(refs)-1] + "}"
	}
	return strings.Join(out, sep), refs, true
}

// Resolve puts deployed values into a text from Pattern: value(name) gives the value of the
// placeholder ${name}. It returns the names it could not resolve; their placeholders stay.
func Resolve(text string, refs []string, value func(name string) (string, bool)) (string, []string) {
	var missing []string
	for _, name := range refs {
		v, ok := value(name)
		if !ok {
			missing = append(missing, name)
			continue
		}
		text = strings.ReplaceAll(text, "${"+name+"}", v)
	}
	return text, missing
}

// join splits the argument of Fn::Join into its fixed separator and its parts.
// depth is the nesting level of the separator, for maxIntrinsicDepth.
func join(arg json.RawMessage, depth int) (string, []json.RawMessage, bool) {
	var args []json.RawMessage
	if json.Unmarshal(arg, &args) != nil || len(args) != 2 {
		return "", nil, false
	}
	sep, ok := staticString(args[0], depth)
	var parts []json.RawMessage
	if !ok || json.Unmarshal(args[1], &parts) != nil {
		return "", nil, false
	}
	return sep, parts, true
}
