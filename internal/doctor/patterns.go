package doctor

import "context"

func (d *doctor) testPatterns(ctx context.Context) []Result { return nil }
