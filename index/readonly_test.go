//go:build unix

package index

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// nobody is the user a child runs as to meet a read-only folder when the
// tests run as root, whom permissions do not stop.
const nobody = 65534

// TestReadOnlyDataFolderIsServed opens an index in a data folder the opening
// process cannot write (a baked-in image, a read-only volume).
func TestReadOnlyDataFolderIsServed(t *testing.T) {
	src, c := taleCorpus(t)
	data := t.TempDir()
	ix, err := Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := ix.Stats().Dir
	ix.Close()
	readOnly(t, data)

	var edit func(*exec.Cmd)
	if os.Geteuid() == 0 {
		edit = asNobody(t, data, src)
	} else if f, err := os.Create(filepath.Join(data, "probe")); err == nil {
		f.Close()
		t.Skip("a read-only folder can still be written here")
	}
	reader := startChildCmd(t, "open", data, src, edit)
	if line := reader.line(t); line != "open "+dir {
		t.Fatalf("process that cannot write the data folder: %q, want open %s; its log:\n%s", line, dir, reader.stderr.String())
	}
	reader.finish(t)
	if log := reader.stderr.String(); strings.Contains(log, "level=WARN") || strings.Contains(log, "level=ERROR") {
		t.Errorf("opening a sound read-only index complained:\n%s", log)
	}
}

// TestReadOnlyDataFolderWithoutIndex checks that a data folder that cannot
// be written and holds no current index gives a clear error.
func TestReadOnlyDataFolderWithoutIndex(t *testing.T) {
	src := t.TempDir()
	c := writeCorpus(t, src, tale)
	data := t.TempDir()
	ix, err := Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	c2 := writeCorpus(t, src, map[string]string{"extra.txt": "A ferry crossed the bay at dawn.\n"})

	// Where the lock file cannot be created (EROFS on a read-only volume).
	opts := Options{openLock: func(path string) (*os.File, error) {
		return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.EROFS}
	}}
	var logs strings.Builder
	_, err = Open(context.Background(), data, c2, slog.New(slog.NewTextHandler(&logs, nil)), opts)
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Open of a changed corpus in a read-only folder: %v, want ErrReadOnly", err)

	}
	if msg := err.Error(); !strings.Contains(msg, "read-only") || !strings.Contains(msg, "no usable index") {
		t.Errorf("error = %q, want it to say the folder is read-only and holds no usable index", msg)
	}
	// The index of the corpus it holds is still served.
	ix, err = Open(context.Background(), data, c, quiet, opts)
	if err != nil {
		t.Fatalf("Open of the corpus it holds: %v", err)
	}
	ix.Close()
}

// readOnly takes write permission away from everything under dir, and
// gives it back when the test ends.
func readOnly(t *testing.T, dir string) {
	t.Helper()
	chmodAll(t, dir, 0o555, 0o444)
	t.Cleanup(func() { chmodAll(t, dir, 0o755, 0o644) })
}

func chmodAll(t *testing.T, dir string, dirs, files os.FileMode) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, dirs)
		}
		return os.Chmod(p, files)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// asNobody runs a child as the user nobody: a copy of the test binary it
// can run, and the folders leading to dirs opened for it to walk through.
func asNobody(t *testing.T, dirs ...string) func(*exec.Cmd) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "index.test")
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range append(dirs, filepath.Dir(bin)) {
		// t.TempDir makes its folders 0700; open those up to the
		// test's own (the parent of the test's temporary folders).
		for p := d; strings.HasPrefix(p, os.TempDir()) && p != os.TempDir(); p = filepath.Dir(p) {
			if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o005 == 0 {
				if err := os.Chmod(p, fi.Mode().Perm()|0o005); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return func(cmd *exec.Cmd) {
		cmd.Path = bin
		cmd.Args[0] = bin
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
}
