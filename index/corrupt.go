package index

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// ErrCorrupt says the index on disk is damaged. Open rebuilds such an index;
// a search that finds damage returns an error wrapping ErrCorrupt and the
// Index rebuilds itself in the background, answering with errRebuilding
// until the new index is in.
var ErrCorrupt = errors.New("index is corrupt")

var errRebuilding = fmt.Errorf("%w and is being rebuilt", ErrCorrupt)

// guard calls f, turning a panic inside bleve into an error wrapping
// ErrCorrupt: bleve decodes segment files without checking them and panics
// on bytes it does not expect (slice bounds, huge allocations). Faults on
// the memory-mapped segment files (a file truncated under us) become panics
// too, instead of ending the process.
func guard(f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: bleve panicked: %v", ErrCorrupt, r)
		}
	}()
	return f()
}

// corruptf wraps an error from bleve reading the index as corruption,
// unless it already says so.
func corruptf(err error, format string, a ...any) error {
	if errors.Is(err, ErrCorrupt) {
		return fmt.Errorf(format+": %w", append(a, err)...)
	}
	return fmt.Errorf(format+": %w: %v", append(a, ErrCorrupt, err)...)
}
