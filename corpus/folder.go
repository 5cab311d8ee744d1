package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unsafe"
)

// SeedFolder is the name of the corpus folder seeded in the data folder from
// the embedded story (see Seed).
const SeedFolder = "corpus"

// tempPrefix starts the name of a file being written into a corpus folder.
// It is hidden, so the loader never reads a file half written, and Clean
// removes what a killed process left.
const tempPrefix = ".storybot-tmp-"

// Locate decides which corpus to serve: the folder configured (by flag or
// environment) if any, else the folder seeded in dataDir if it exists, else
// "" for the embedded story. Every command decides with this one function,
// so a bot and a shell beside it serve the same corpus.
func Locate(configured, dataDir string) string {
	if configured != "" {
		return configured
	}
	dir := filepath.Join(dataDir, SeedFolder)
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	return ""
}

// Open reads the corpus in dir, or the embedded story when dir is "".
func Open(dir string) (*Corpus, error) {
	if dir == "" {
		return Default()
	}
	return LoadDir(dir)
}

// Seed makes the corpus folder of dataDir from the embedded story, unless it
// exists, and returns it. The folder appears whole or not at all: it is
// written under a temporary name and renamed into place.
func Seed(dataDir string) (string, error) {
	dir := filepath.Join(dataDir, SeedFolder)
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return "", fmt.Errorf("seed corpus folder %s: not a folder", dir)
		}
		return dir, nil
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return "", fmt.Errorf("seed corpus folder: %w", err)
	}
	tmp, err := os.MkdirTemp(dataDir, tempPrefix+SeedFolder+"-")
	if err != nil {
		return "", fmt.Errorf("seed corpus folder: %w", err)
	}
	fail := func(err error) (string, error) {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("seed corpus folder %s: %w", dir, err)
	}
	err = fs.WalkDir(story, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(story, p)
		if err != nil {
			return err
		}
		return writeSynced(filepath.Join(tmp, p), b)
	})
	if err != nil {
		return fail(err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fail(err)
	}
	if err := syncDir(tmp); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fail(err)
	}
	if err := syncDir(dataDir); err != nil {
		return "", fmt.Errorf("seed corpus folder %s: %w", dir, err)
	}
	return dir, nil
}

// Clean removes the temporary files and folders a killed process left in a
// corpus folder dir and in the data folder (a half-written upload or seed).
// It says nothing when it cannot (a read-only folder).
func Clean(dir, dataDir string) {
	for _, d := range []string{dir, dataDir} {
		if d == "" {
			continue
		}
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), tempPrefix) {
				os.RemoveAll(filepath.Join(d, e.Name()))
			}
		}
	}
}

// WriteFile writes data to the file name in the corpus folder dir
// atomically: into a temporary file in dir, synced, renamed over name, and
// dir synced. A crash leaves the old file or the new one, never part of one.
func WriteFile(dir, name string, data []byte) error {
	if e := checkName(name); e != nil {
		return e
	}
	f, err := os.CreateTemp(dir, tempPrefix)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr, os.Chmod(tmp, 0o644)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// RemoveFile removes the file at path p (slash-separated, relative to the
// corpus folder dir) and syncs its folder.
func RemoveFile(dir, p string) error {
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.Remove(full); err != nil {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	if err := syncDir(filepath.Dir(full)); err != nil {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	return nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	return errors.Join(werr, f.Sync(), f.Close())
}

// syncDir makes a folder's entries (a rename, a removal) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// IDFor is the ID a document read from the file at path p (slash-separated,
// relative to the corpus folder) gets, unless another document's path gives
// the same ID (see Load).
func IDFor(p string) string { return slug(p) }

// Hash is a hex digest of the document's path and file content: documents
// with equal hashes have the same passages.
func (d *Document) Hash() string {
	if d.hash != "" {
		return d.hash
	}
	return d.computeHash()
}

func (d *Document) computeHash() string {
	h := sha256.New()
	hashString(h, d.Path)
	h.Write([]byte{0})
	hashString(h, d.source)
	h.Write([]byte{0})
	hashString(h, d.layout)
	return hex.EncodeToString(h.Sum(nil))
}

// hashString adds s to h without copying it (io.WriteString copies, which
// for a whole file costs as much as the hashing).
func hashString(h hash.Hash, s string) {
	// h.Write neither keeps nor changes its argument.
	h.Write(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// Size is the size in bytes of the document's file (without a byte order mark).
func (d *Document) Size() int64 { return int64(len(d.source)) }
