//go:build !race

package filterpattern_test

const raceEnabled = false
