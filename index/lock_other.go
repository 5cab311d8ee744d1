//go:build !unix

package index

import (
	"errors"
	"io/fs"
	"os"
)

// tryLock always succeeds where flock does not exist: there, processes
// sharing a data folder are not protected from each other.
func tryLock(f *os.File, exclusive bool) (bool, error) { return true, nil }

// isReadOnly reports whether err says a file may not be created or written.
func isReadOnly(err error) bool { return errors.Is(err, fs.ErrPermission) }
