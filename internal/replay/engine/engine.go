// Package engine connects replay to the filter-pattern engine, pkg/filterpattern. It is the only
// place replay meets pattern evaluation, so the rest of internal/replay stays engine-independent.
package engine

import (
	"errors"
	"fmt"

	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// Compile parses every pattern and returns one filterpattern.Set over them, which reads each record
// once for all patterns. Every pattern that does not parse is reported, with its column.
func Compile(patterns []string) (replay.Matcher, error) {
	ps := make([]*filterpattern.Pattern, len(patterns))
	var errs []error
	for i, src := range patterns {
		p, err := filterpattern.Parse(src)
		if err != nil {
			errs = append(errs, fmt.Errorf("pattern %q: %w", src, err))
			continue
		}
		ps[i] = p
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return filterpattern.NewSet(ps...), nil
}
