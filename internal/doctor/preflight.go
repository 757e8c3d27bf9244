package doctor

import "context"

func (d *doctor) preflight(ctx context.Context) []Result { return nil }
