//go:build !linux

package main

import "os"

// fileIsTerminal reports whether f is a character device, as a terminal is.
func fileIsTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
