//go:build !race

package replay

// raceSlowdown is 1 without the race detector.
const raceSlowdown = 1
