package config

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// StackPrefix starts every trailwatch stack name, so `cdk deploy 'Trailwatch-123456789012-*'`
// deploys every stack of one account.
const StackPrefix = "Trailwatch"

// ErrTargetsFile is matched (errors.Is) by every problem with the targets file; so is ErrInvalid.
var ErrTargetsFile = errors.New("bad targets file")

// Load returns the stacks the context asks for: one, from the context's keys, or, with
// targetsFile, one per target and Region of that file. Every problem is reported at once, as an
// ErrorList; those of the file name the file and the target.
func Load(context map[string]any, getenv func(string) string) ([]Target, error) {
	var app App
	var errs ErrorList
	for _, k := range declare(&app, &Target{}) {
		if k.scope != AppScope {
			continue
		}
		if p := readKey(k, context, getenv); p != nil {
			errs.Add(p)
		}
	}
	if app.TargetsFile == "" {
		t, err := Parse(context, getenv)
		errs = append(errs, Problems(err)...)
		if app.OnlyEnvironment != "" {
			errs.Add(&Problem{Key: "onlyEnvironment", Value: app.OnlyEnvironment, Msg: "is set without targetsFile",
				Allowed: "onlyEnvironment with -c targetsFile=... (it picks targets of the file)", Err: ErrInvalid})
		}
		if len(errs) > 0 {
			return nil, errs
		}
		t.Name = StackPrefix
		if len(t.StackSet.OUs) > 0 {
			t.Name += "StackSet"
		}
		return []Target{t}, nil
	}
	if len(errs) > 0 {
		return nil, errs
	}
	targets, errs := loadTargets(app.TargetsFile, context)
	if len(errs) > 0 {
		return nil, errs
	}
	if app.OnlyEnvironment == "" {
		return targets, nil
	}
	var kept []Target
	envs := map[string]bool{}
	for _, t := range targets {
		envs[t.Environment] = true
		if t.Environment == app.OnlyEnvironment {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		known := slices.Sorted(maps.Keys(envs))
		return nil, ErrorList{{Key: "onlyEnvironment", Value: app.OnlyEnvironment, Msg: "matches no target of " + app.TargetsFile,
			Allowed: "one of " + strings.Join(known, ", "), Err: ErrInvalid}}
	}
	return kept, nil
}

// targetsFile is the targets file:
//
//	defaults:                    # any trailwatch key of target or stack scope, for every target
//	  notificationEmails: ops@example.com
//	targets:
//	  - account: "123456789012"  # required
//	    region: us-east-1        # or regions: [us-east-1, eu-west-1]
//	    environment: production  # CI environment label
//	    alarmProfile: aws,cis    # any other trailwatch key overrides the defaults
type targetsFile struct {
	Defaults      map[string]any
	Targets       []map[string]any
	defaultsLines fieldLines   // the line of each key of defaults
	targetLines   []fieldLines // the line of each key of each target
	targetLine    []int        // the line each target starts on
}

// targetsOf reads a parsed targets file: a map of defaults and targets.
func targetsOf(root *node, in Problem) (targetsFile, ErrorList) {
	var file targetsFile
	at := func(n *node, msg string) ErrorList {
		p := in.with(msg)
		p.Line = n.line
		return ErrorList{p}
	}
	switch root.kind {
	case mapNode:
	case nullNode:
		return file, nil
	default:
		return file, at(root, fmt.Sprintf("is %s; allowed: a map with \"defaults\" (optional) and a \"targets\" list", root.kind.name()))
	}
	for i, k := range root.keys {
		v := root.items[i]
		switch k.text {
		case "defaults":
			m, lines, errs := keysOf(v, in, "defaults")
			if len(errs) > 0 {
				return file, errs
			}
			file.Defaults, file.defaultsLines = m, lines
		case "targets":
			if v.kind == nullNode {
				continue
			}
			if v.kind != listNode {
				return file, at(v, fmt.Sprintf("targets is %s; allowed: a list of targets", v.kind.name()))
			}
			for j, item := range v.items {
				m, lines, errs := keysOf(item, in, fmt.Sprintf("target %d", j+1))
				if len(errs) > 0 {
					return file, errs
				}
				file.Targets = append(file.Targets, m)
				file.targetLines = append(file.targetLines, lines)
				file.targetLine = append(file.targetLine, item.line)
			}
		default:
			hint := ""
			if near := nearest(k.text, []string{"defaults", "targets"}); near != "" {
				hint = "did you mean " + near + "? "
			}
			return file, at(k, fmt.Sprintf("%s is not a top-level key of a targets file; %sallowed: defaults, targets", strconv.Quote(label(k.text)), hint))
		}
	}
	return file, nil
}

// keysOf reads a map of trailwatch keys (the defaults, or one target) into the values cdk.json's
// context has, with the line of each key.
func keysOf(n *node, in Problem, where string) (map[string]any, fieldLines, ErrorList) {
	in.Target, in.Line = where, n.line
	switch n.kind {
	case nullNode:
		return map[string]any{}, fieldLines{}, nil
	case mapNode:
	default:
		return nil, nil, ErrorList{in.with(fmt.Sprintf("is %s; allowed: a map of trailwatch keys", n.kind.name()))}
	}
	m := map[string]any{}
	lines := fieldLines{}
	for i, k := range n.keys {
		v, lerr := n.items[i].plain()
		if lerr != nil {
			p := in.with(lerr.msg)
			p.Key, p.Line = label(k.text), lerr.line
			return nil, nil, ErrorList{p}
		}
		m[k.text] = v
		lines[k.text] = k.line
	}
	return m, lines, nil
}

// placed gives each problem of a target without a line of its own the line of its key (the
// target's, else the defaults'), else the target's.
func placed(errs ErrorList, line int, lines ...fieldLines) ErrorList {
	for _, p := range errs {
		if p.Line > 0 || p.File != "" {
			continue
		}
		p.Line = line
		for _, l := range lines {
			if n := l[p.Key]; n > 0 {
				p.Line = n
				break
			}
		}
	}
	return errs
}

// MaxStacks is the most stacks one targets file may make. Checking one costs about 2 ms
// (BenchmarkLoadFiftyTargets), so the file is read in about a second at most.
const MaxStacks = 500

// regionsField is the file's own field for a target in several Regions (one stack each).
const regionsField = "regions"

func loadTargets(path string, context map[string]any) ([]Target, ErrorList) {
	in := Problem{TargetsFile: path, Err: ErrTargetsFile}
	root, errs := readTree(path, in)
	if len(errs) > 0 {
		return nil, errs
	}
	return decodeTargets(root, path, context)
}

// decodeTargets reads the targets of a parsed targets file and the stacks they make.
func decodeTargets(root *node, path string, context map[string]any) ([]Target, ErrorList) {
	in := Problem{TargetsFile: path, Err: ErrTargetsFile}
	file, errs := targetsOf(root, in)
	if len(errs) > 0 {
		return nil, errs
	}
	if len(file.Targets) == 0 {
		return nil, ErrorList{in.with(`has no targets (want a top-level "targets" list with at least one entry)`)}
	}
	defaults := file.Defaults
	inDefaults := in
	inDefaults.Target = "defaults"
	errs = placed(fileKeyProblems(defaults, inDefaults), 0, file.defaultsLines)
	for _, k := range keys {
		if _, ok := defaults[k.name]; ok && k.perEach {
			p := inDefaults
			p.Key, p.Msg, p.Allowed, p.Line = k.name, "belongs to each target", k.name+" on every entry of targets", file.defaultsLines[k.name]
			errs.Add(&p)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	// What every target starts from: the command line and cdk.json, then the file's defaults. A
	// target names its own account and Region (checked below), which replace the command line's;
	// parse does not read the app's keys.
	base := maps.Clone(context)
	maps.Copy(base, defaults)
	delete(base, regionsField)

	// Each stack is checked in full (its alarms' patterns and records): bound their number first.
	stacks := 0
	for _, entry := range file.Targets {
		source := entry
		if _, own := entry[regionKey]; !own {
			if _, own := entry[regionsField]; !own {
				source = defaults
			}
		}
		regions, _ := entryRegions(source)
		stacks += max(len(regions), 1)
	}
	if stacks > MaxStacks {
		return nil, ErrorList{in.with(fmt.Sprintf("makes %d stacks (one per target and Region)", stacks)).
			allowing(fmt.Sprintf("at most %d stacks in one targets file (CloudFormation allows %d stacks per account and Region; use a StackSet for many accounts)", MaxStacks, 2000))}
	}

	var targets []Target
	names := map[string]int{}
	trails := map[string]string{} // account -> the target that makes its (multi-Region) trail
	for i, entry := range file.Targets {
		entryLines, entryLine := file.targetLines[i], file.targetLine[i]
		// The entry's region(s), else the defaults'.
		regionSource := entry
		if _, own := entry[regionKey]; !own {
			if _, own := entry[regionsField]; !own {
				regionSource = defaults
			}
		}
		regions, problem := entryRegions(regionSource)
		at := in
		at.Target = fmt.Sprintf("target %d (%s/%s)", i+1, accountLabel(entry[accountKey]), label(strings.Join(regions, ",")))
		at.Line = entryLine
		errs = append(errs, placed(fileKeyProblems(entry, at), entryLine, entryLines)...)
		if problem != nil {
			errs = append(errs, placed(ErrorList{problem}.In(path, at.Target), entryLine, entryLines, file.defaultsLines)...)
			continue
		}
		missing := false
		for _, k := range keys {
			if _, ok := entry[k.name]; !ok && k.perEach {
				p := at
				p.Key, p.Allowed, p.Err, p.Line = k.name, k.allowed, ErrMissing, entryLine
				errs.Add(&p)
				missing = true
			}
		}
		if missing {
			continue
		}
		for _, region := range regions {
			ctx := maps.Clone(base)
			maps.Copy(ctx, entry)
			delete(ctx, regionsField)
			ctx[regionKey] = region
			at.Target = fmt.Sprintf("target %d (%s/%s)", i+1, accountLabel(entry[accountKey]), label(region))
			// A target names its own account and Region: the CLI's defaults do not apply.
			t, err := parse(ctx, entry, func(string) string { return "" })
			if err != nil {
				errs = append(errs, placed(Problems(err).In(path, at.Target), entryLine, entryLines, file.defaultsLines)...)
				continue
			}
			t.Name = fmt.Sprintf("%s-%s-%s", StackPrefix, t.Account, t.Region)
			if len(t.StackSet.OUs) > 0 {
				t.Name += "-StackSet"
			}
			if first, dup := names[t.Name]; dup {
				errs.Add(at.with(fmt.Sprintf("makes stack %s again (target %d does)", t.Name, first)).allowing("each account and Region once (a StackSet target may share them)"))
				continue
			}
			names[t.Name] = i + 1
			if len(t.StackSet.OUs) == 0 && t.ExistingLogGroupName == "" {
				if first, dup := trails[t.Account]; dup {
					errs.Add(at.with(fmt.Sprintf("makes a second trail in account %s (%s makes one)", t.Account, first)).
						allowing("one full stack per account, since its multi-Region trail records every Region (alarms elsewhere: existingLogGroupName)"))
					continue
				}
				trails[t.Account] = at.Target
			}
			targets = append(targets, t)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return targets, nil
}

func (p *Problem) allowing(allowed string) *Problem {
	p.Allowed = allowed
	return p
}

// entryRegions reads a target's region or regions.
func entryRegions(entry map[string]any) ([]string, *Problem) {
	r, one := entry[regionKey]
	rs, many := entry[regionsField]
	switch {
	case one && many:
		return nil, &Problem{Msg: "region and regions are both set", Allowed: "one of them", Err: ErrTargetsFile}
	case one:
		s, ok := r.(string)
		if !ok {
			return nil, &Problem{Key: regionKey, Value: r, Msg: "is not a string", Allowed: "an AWS Region code", Err: ErrTargetsFile}
		}
		return []string{s}, nil
	case many:
		list, p := stringList(rs)
		if p != nil || len(list) == 0 {
			return nil, &Problem{Key: regionsField, Value: rs, Msg: "is not a list of Region codes", Err: ErrTargetsFile}
		}
		return list, nil
	}
	return nil, &Problem{Key: regionKey, Allowed: "an AWS Region code (or regions: [a list])", Err: ErrMissing}
}

// fileKeyProblems reports keys of a targets-file map that trailwatch does not take there (the
// file is ours, so every unknown key is an error), with the likely intended key; at places them.
func fileKeyProblems(m map[string]any, at Problem) ErrorList {
	var names []string
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs ErrorList
	for _, name := range names {
		k, known := lookup(name)
		global := known && k.scope == AppScope
		if known && !global || name == regionsField {
			continue
		}
		hint := "allowed: " + strings.Join(KeyNames(), ", ")
		if near := nearestKey(name); near != "" && near != name {
			hint = "did you mean " + near + "?"
		}
		if global {
			hint = name + " is read from the command line or cdk.json only"
		}
		p := at
		p.Key, p.Msg = name, "is not a trailwatch key; "+hint
		errs.Add(&p)
	}
	return errs
}

// accountLabel is a target's account as its label shows it ("?" when it is not a text).
func accountLabel(v any) string {
	if s, ok := v.(string); ok {
		return label(s)
	}
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return "?"
}
