// Package notests has code and no tests: the mutation tool must refuse it.
package notests

// Zero is 0.
func Zero() int { return 0 }
