//go:build race

package replay

// raceSlowdown is how much slower the race detector may make the code: time bounds of tests
// that are not fuzzing allow for it.
const raceSlowdown = 10
