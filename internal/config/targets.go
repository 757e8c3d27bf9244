package config

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
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
	Defaults map[string]any   `json:"defaults" yaml:"defaults"`
	Targets  []map[string]any `json:"targets" yaml:"targets"`
}

// regionsField is the file's own field for a target in several Regions (one stack each).
const regionsField = "regions"

func loadTargets(path string, context map[string]any) ([]Target, ErrorList) {
	in := Problem{TargetsFile: path, Err: ErrTargetsFile}
	var file targetsFile
	if errs := readStrict(path, &file, in); len(errs) > 0 {
		return nil, errs
	}
	if len(file.Targets) == 0 {
		return nil, ErrorList{in.with(`has no targets (want a top-level "targets" list with at least one entry)`)}
	}
	defaults := normalize(file.Defaults)
	inDefaults := in
	inDefaults.Target = "defaults"
	errs := fileKeyProblems(defaults, inDefaults)
	for _, k := range keys {
		if _, ok := defaults[k.name]; ok && k.perEach {
			p := inDefaults
			p.Key, p.Msg, p.Allowed = k.name, "belongs to each target", k.name+" on every entry of targets"
			errs.Add(&p)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	// What every target starts from: the command line and cdk.json, then the file's defaults. A
	// target names its own account and Region: the command line's and the CLI's do not apply.
	base := maps.Clone(context)
	for _, k := range keys {
		if k.scope == AppScope || k.perEach || k.name == regionKey {
			delete(base, k.name)
		}
	}
	maps.Copy(base, defaults)
	delete(base, regionsField)

	var targets []Target
	names := map[string]int{}
	trails := map[string]string{} // account -> the target that makes its (multi-Region) trail
	for i, entry := range file.Targets {
		entry = normalize(entry)
		// The entry's region(s), else the defaults'.
		regionSource := entry
		if _, own := entry[regionKey]; !own {
			if _, own := entry[regionsField]; !own {
				regionSource = defaults
			}
		}
		regions, problem := entryRegions(regionSource)
		at := in
		at.Target = fmt.Sprintf("target %d (%v/%s)", i+1, entry[accountKey], strings.Join(regions, ","))
		errs = append(errs, fileKeyProblems(entry, at)...)
		if problem != nil {
			errs = append(errs, ErrorList{problem}.In(path, at.Target)...)
			continue
		}
		missing := false
		for _, k := range keys {
			if _, ok := entry[k.name]; !ok && k.perEach {
				p := at
				p.Key, p.Allowed, p.Err = k.name, k.allowed, ErrMissing
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
			at.Target = fmt.Sprintf("target %d (%v/%s)", i+1, entry[accountKey], region)
			// A target names its own account and Region: the CLI's defaults do not apply.
			t, err := Parse(ctx, func(string) string { return "" })
			if err != nil {
				errs = append(errs, Problems(err).In(path, at.Target)...)
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

// normalize turns YAML's integers into the float64s JSON (and so cdk.json) gives.
func normalize(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = normalizeValue(v)
	}
	return out
}

func normalizeValue(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeValue(e)
		}
		return out
	case map[string]any:
		return normalize(x)
	}
	return v
}
