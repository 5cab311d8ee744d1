//go:build !linux

package index_test

// currentRSS is unknown here: the benchmarks report the Go runtime's memory.
func currentRSS() (int64, bool) { return 0, false }

// peakRSS is unknown here: the benchmarks report the Go runtime's memory.
func peakRSS() (int64, bool) { return 0, false }
