//go:build !unix

package index

import "os"

// mapFile reads the file at path whole: systems without mmap get the same
// bytes, held in memory.
func mapFile(path string) (data []byte, unmap func() error, err error) {
	data, err = os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}
