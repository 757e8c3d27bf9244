//go:build !unix

package filterpattern_test

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
