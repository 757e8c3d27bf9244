//go:build !race

package cloudtrail

// raceSlowdown is 1 without the race detector.
const raceSlowdown = 1
