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

// Target is one stack to synthesize: its name and its configuration.
type Target struct {
	// Name is the stack's construct ID and CloudFormation name.
	Name   string
	Config Config
}

// Load returns the stacks the context asks for: one, from the context's keys, or, with
// targetsFile, one per target and Region of that file. Every problem is reported at once; those
// of the file name the target.
func Load(context map[string]any, getenv func(string) string) ([]Target, error) {
	file, _ := context["targetsFile"].(string)
	if strings.TrimSpace(file) == "" {
		cfg, err := Parse(context, getenv)
		if only, _ := context["onlyEnvironment"].(string); only != "" {
			err = errors.Join(err, &KeyError{Key: "onlyEnvironment", Value: only, Problem: "is set without targetsFile",
				Allowed: "onlyEnvironment with -c targetsFile=... (it picks targets of the file)", Err: ErrInvalid})
		}
		if err != nil {
			return nil, err
		}
		name := StackPrefix
		if len(cfg.StackSetOUs) > 0 {
			name += "StackSet"
		}
		return []Target{{Name: name, Config: cfg}}, nil
	}
	targets, err := loadTargets(strings.TrimSpace(file), context, getenv)
	if err != nil {
		return nil, err
	}
	only, _ := context["onlyEnvironment"].(string)
	if only == "" {
		return targets, nil
	}
	var kept []Target
	envs := map[string]bool{}
	for _, t := range targets {
		envs[t.Config.Environment] = true
		if t.Config.Environment == only {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		known := slices.Sorted(maps.Keys(envs))
		return nil, &KeyError{Key: "onlyEnvironment", Value: only, Problem: "matches no target of " + file,
			Allowed: "one of " + strings.Join(known, ", "), Err: ErrInvalid}
	}
	return kept, nil
}

// targetsFile is the targets file:
//
//	defaults:                    # any trailwatch key, for every target
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

func loadTargets(path string, context map[string]any, getenv func(string) string) ([]Target, error) {
	where := problemsIn("targetsFile", path, ErrTargetsFile)
	var file targetsFile
	if err := readStrict(path, &file, where); err != nil {
		return nil, err
	}
	if len(file.Targets) == 0 {
		return nil, where("has no targets (want a top-level \"targets\" list with at least one entry)")
	}
	var errs []error
	defaults := normalize(file.Defaults)
	for _, k := range fileKeyProblems(defaults, "regions") {
		errs = append(errs, where("defaults: %s", k))
	}
	if _, ok := defaults["account"]; ok {
		errs = append(errs, where("defaults: account: belongs to each target; allowed: account on every entry of targets"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	base := maps.Clone(context)
	delete(base, "targetsFile")
	delete(base, "region") // a target's Region comes from the file, never from -c or cdk.json
	maps.Copy(base, defaults)
	delete(base, "regions")

	var targets []Target
	names := map[string]int{}
	trails := map[string]string{} // account -> the target that makes its (multi-Region) trail
	for i, entry := range file.Targets {
		entry = normalize(entry)
		// The entry's region(s), else the defaults'.
		regionSource := entry
		if _, own := entry["region"]; !own {
			if _, own := entry["regions"]; !own {
				regionSource = defaults
			}
		}
		regions, problem := entryRegions(regionSource)
		label := fmt.Sprintf("target %d (%v/%s)", i+1, entry["account"], strings.Join(regions, ","))
		for _, k := range fileKeyProblems(entry, "regions") {
			errs = append(errs, where("%s: %s", label, k))
		}
		if problem != "" {
			errs = append(errs, where("%s: %s", label, problem))
			continue
		}
		if _, ok := entry["account"]; !ok {
			errs = append(errs, where("%s: account: required but not set; allowed: a 12-digit AWS account ID", label))
			continue
		}
		for _, region := range regions {
			ctx := maps.Clone(base)
			delete(ctx, "region")
			maps.Copy(ctx, entry)
			delete(ctx, "regions")
			ctx["region"] = region
			label := fmt.Sprintf("target %d (%v/%s)", i+1, entry["account"], region)
			// A target names its own account and Region: the CLI's defaults do not apply.
			cfg, err := Parse(ctx, func(string) string { return "" })
			if err != nil {
				for _, line := range Lines(err) {
					errs = append(errs, where("%s: %s", label, line))
				}
				continue
			}
			name := fmt.Sprintf("%s-%s-%s", StackPrefix, cfg.Account, cfg.Region)
			if len(cfg.StackSetOUs) > 0 {
				name += "-StackSet"
			}
			if first, dup := names[name]; dup {
				errs = append(errs, where("%s: makes stack %s again (target %d does); allowed: each account and Region once (a StackSet target may share them)", label, name, first))
				continue
			}
			names[name] = i + 1
			if len(cfg.StackSetOUs) == 0 && cfg.ExistingLogGroupName == "" {
				if first, dup := trails[cfg.Account]; dup {
					errs = append(errs, where("%s: makes a second trail in account %s (%s makes one); allowed: one full stack per account, since its multi-Region trail records every Region (alarms elsewhere: existingLogGroupName)", label, cfg.Account, first))
					continue
				}
				trails[cfg.Account] = label
			}
			targets = append(targets, Target{Name: name, Config: cfg})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return targets, nil
}

// entryRegions reads a target's region or regions.
func entryRegions(entry map[string]any) ([]string, string) {
	r, one := entry["region"]
	rs, many := entry["regions"]
	switch {
	case one && many:
		return nil, "region and regions are both set; allowed: one of them"
	case one:
		s, ok := r.(string)
		if !ok {
			return nil, fmt.Sprintf("region: %v is not a string; allowed: an AWS Region code", r)
		}
		return []string{s}, ""
	case many:
		list, err := stringList(rs)
		if err != nil || len(list) == 0 {
			return nil, fmt.Sprintf("regions: %v is not a list of Region codes", rs)
		}
		return list, ""
	}
	return nil, "region: required but not set; allowed: an AWS Region code (or regions: [a list])"
}

// fileKeyProblems reports keys of a targets-file map that trailwatch does not know (the file is
// ours, so every unknown key is an error), with the likely intended key.
func fileKeyProblems(m map[string]any, extra ...string) []string {
	var out []string
	var names []string
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		_, known := keyIndex[name]
		global := name == "targetsFile" || name == "onlyEnvironment"
		if known && !global || slices.Contains(extra, name) {
			continue
		}
		hint := "allowed: " + strings.Join(KeyNames(), ", ")
		if near := nearestKey(name); near != "" && near != name {
			hint = "did you mean " + near + "?"
		}
		if global {
			hint = name + " is read from the command line or cdk.json only"
		}
		out = append(out, fmt.Sprintf("%s: is not a trailwatch key; %s", name, hint))
	}
	return out
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
