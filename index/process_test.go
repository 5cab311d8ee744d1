package index

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/storybot/storybot/corpus"
)

// These tests run other processes on one data folder: the test binary run
// again with childRole set, which does one thing (childMain) and reports on
// its standard output.
const (
	childRole   = "STORYBOT_INDEX_TEST_CHILD"
	childData   = "STORYBOT_INDEX_TEST_DATA"
	childCorpus = "STORYBOT_INDEX_TEST_CORPUS"
)

// childDeadline bounds how long a test waits for a child: far beyond what
// any step takes, short of the test binary's own timeout, so that a child
// that hangs fails its test by name.
const childDeadline = 60 * time.Second

// BenchChild, when the benchmarks (package index_test) set it, does what a
// benchmark's child process does, if this process is one: ran tells.
var BenchChild func() (ran bool, err error)

func TestMain(m *testing.M) {
	if BenchChild != nil {
		if ran, err := BenchChild(); ran {
			if err != nil {
				fmt.Fprintln(os.Stderr, "error:", err)
				os.Exit(1)
			}
			os.Exit(0)
		}
	}
	if role := os.Getenv(childRole); role != "" {
		if err := childMain(role, os.Getenv(childData), os.Getenv(childCorpus)); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childMain is what a child process does:
//
//	open   open the index, print "open DIR", exit
//	hold   open the index, print "open DIR", search once standard input
//	       closes, print "searched N", exit
//	lock   take the data folder's lock, print "locked", hold it until
//	       standard input closes
//	crash  take the lock, start a build and die halfway, as when killed
func childMain(role, data, corpusDir string) error {
	c, err := corpus.LoadDir(corpusDir)
	if err != nil {
		return err
	}
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	switch role {
	case "open", "hold":
		ix, err := Open(ctx, data, c, logger, Options{})
		if err != nil {
			return err
		}
		defer ix.Close()
		fmt.Println("open", ix.Stats().Dir)
		if role == "open" {
			return nil
		}
		io.Copy(io.Discard, os.Stdin)
		hits, _, err := ix.Search(ctx, Query{Terms: []Term{{Term: "lantern"}}}, 0, 10)
		if err != nil {
			return err
		}
		fmt.Println("searched", len(hits))
		return nil
	case "lock":
		unlock, err := newStore(data, c, logger, Options{}).lock(ctx)
		if err != nil {
			return err
		}
		defer unlock()
		fmt.Println("locked")
		io.Copy(io.Discard, os.Stdin)
		return nil
	case "crash":
		s := newStore(data, c, logger, Options{})
		if _, err := s.lock(ctx); err != nil {
			return err
		}
		dir, err := os.MkdirTemp(s.root, folderGlob)
		if err != nil {
			return err
		}
		os.Remove(dir)
		bi, err := bleve.New(dir, newMapping())
		if err != nil {
			return err
		}
		if _, err := indexPassages(ctx, bi, c, filepath.Join(dir, analysisFile), nil); err != nil {
			return err
		}
		fmt.Println("crashed in", dir)
		os.Exit(0) // no Close, no cleanup
	}
	return fmt.Errorf("unknown role %q", role)
}

// child is a running child process.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  *bufio.Scanner
	stderr strings.Builder
	cancel context.CancelFunc
}

func startChild(t *testing.T, role, data, corpusDir string) *child {
	t.Helper()
	return startChildCmd(t, role, data, corpusDir, nil)
}

func startChildCmd(t *testing.T, role, data, corpusDir string, edit func(*exec.Cmd)) *child {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), childDeadline)
	ch := &child{cancel: cancel}
	ch.cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	ch.cmd.Env = append(os.Environ(), childRole+"="+role, childData+"="+data, childCorpus+"="+corpusDir)
	ch.cmd.Stderr = &ch.stderr
	if edit != nil {
		edit(ch.cmd)
	}
	var err error
	if ch.stdin, err = ch.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := ch.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	ch.lines = bufio.NewScanner(out)
	if err := ch.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ch.stdin.Close()
		ch.cmd.Wait()
		cancel()
	})
	return ch
}

// line waits for the child's next line of output.
func (ch *child) line(t *testing.T) string {
	t.Helper()
	if !ch.lines.Scan() {
		ch.cmd.Wait()
		t.Fatalf("child %v ended without a word (%v); its log:\n%s", ch.cmd.Env[len(ch.cmd.Env)-3], ch.lines.Err(), ch.stderr.String())
	}
	return ch.lines.Text()
}

// finish closes the child's input, waits for it to end and returns the rest
// of its output.
func (ch *child) finish(t *testing.T) string {
	t.Helper()
	ch.stdin.Close()
	var rest []string
	for ch.lines.Scan() {
		rest = append(rest, ch.lines.Text())
	}
	if err := ch.cmd.Wait(); err != nil {
		t.Fatalf("child: %v: %s\nits log:\n%s", err, strings.Join(rest, "\n"), ch.stderr.String())
	}
	return strings.Join(rest, "\n")
}

func openedDir(t *testing.T, line string) string {
	t.Helper()
	dir, ok := strings.CutPrefix(line, "open ")
	if !ok {
		t.Fatalf("child said %q, want open DIR", line)
	}
	return dir
}

// indexFolders lists the idx-* folders under root.
func indexFolders(t *testing.T, root string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(root, folderGlob+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func taleCorpus(t *testing.T) (dir string, c *corpus.Corpus) {
	t.Helper()
	dir = t.TempDir()
	return dir, writeCorpus(t, dir, tale)
}

func TestConcurrentOpensOnFreshFolder(t *testing.T) {
	src, c := taleCorpus(t)
	const rounds, procs = 3, 3
	for round := range rounds {
		data := t.TempDir()
		var kids []*child
		for range procs {
			kids = append(kids, startChild(t, "open", data, src))
		}
		var dirs []string
		for _, k := range kids {
			dirs = append(dirs, openedDir(t, k.line(t)))
			k.finish(t)
		}
		root := corpusRoot(data, c)
		cur, err := readCurrent(root)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if _, err := os.Stat(filepath.Join(cur, metaFile)); err != nil {
			t.Fatalf("round %d: CURRENT names %s, which is gone: %v", round, cur, err)
		}
		for i, d := range dirs {
			if d != cur {
				t.Errorf("round %d: process %d used %s, not the index in service %s", round, i, d, cur)
			}
		}
		if got := indexFolders(t, root); len(got) != 1 {
			t.Errorf("round %d: %d index folders left, want 1: %v", round, len(got), got)
		}
	}
}

func TestReaderKeepsFolderWhileAnotherProcessRebuilds(t *testing.T) {
	src, c := taleCorpus(t)
	data := t.TempDir()
	reader := startChild(t, "hold", data, src)
	old := openedDir(t, reader.line(t))

	ix, err := Build(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rebuilt := ix.Stats().Dir
	ix.Close()
	if rebuilt == old {
		t.Fatalf("Build reused %s", old)
	}
	if _, err := os.Stat(filepath.Join(old, metaFile)); err != nil {
		t.Fatalf("the folder another process has open was removed: %v", err)
	}
	if got := reader.finish(t); got != "searched 1" {
		t.Fatalf("reader after the rebuild: %q", got)
	}

	// The next process sees the new index, and removes the old one now
	// that nobody uses it.
	next := startChild(t, "open", data, src)
	if got := openedDir(t, next.line(t)); got != rebuilt {
		t.Errorf("next process opened %s, want the rebuilt %s", got, rebuilt)
	}
	next.finish(t)
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old folder %s still there once unused (%v)", old, err)
	}
}

func TestOpenDoesNotWaitForAnotherProcessHoldingTheIndex(t *testing.T) {
	src, _ := taleCorpus(t)
	data := t.TempDir()
	// The holder built the index (as a serve does on a fresh folder) and
	// keeps it open.
	holder := startChild(t, "hold", data, src)
	dir := openedDir(t, holder.line(t))

	second := startChild(t, "open", data, src)
	if got := openedDir(t, second.line(t)); got != dir {
		t.Errorf("second process opened %s, want %s", got, dir)
	}
	second.finish(t)
	holder.finish(t)
}

func TestOpenWaitsForTheLockThenGivesUp(t *testing.T) {
	src, c := taleCorpus(t)
	data := t.TempDir()
	holder := startChild(t, "lock", data, src)
	if got := holder.line(t); got != "locked" {
		t.Fatalf("lock holder said %q", got)
	}

	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	const timeout = 300 * time.Millisecond
	_, err := Open(context.Background(), data, c, logger, Options{LockTimeout: timeout})
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("Open while another process builds: %v, want ErrBusy", err)
	}
	root := corpusRoot(data, c)
	want := fmt.Sprintf("another storybot is building the index in %s: still locked after %s", root, timeout)
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
	if !strings.Contains(logs.String(), "another storybot is building the index in "+root+"; waiting…") {
		t.Errorf("no word of waiting in the log:\n%s", logs.String())
	}

	// Cancelling ends the wait (as SIGTERM does) whatever the timeout.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Open(ctx, data, c, quiet, Options{LockTimeout: childDeadline * 2})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled Open: %v, want context.Canceled", err)
		}
	case <-time.After(childDeadline):
		t.Fatal("a cancelled Open kept waiting for the lock")
	}

	// Once the other process is done, Open builds.
	holder.finish(t)
	ix, err := Open(context.Background(), data, c, quiet, Options{LockTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
}

func TestKilledBuildsAreCleanedUp(t *testing.T) {
	src, c := taleCorpus(t)
	data := t.TempDir()
	ix, err := Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := ix.Stats().Dir
	ix.Close()

	var partial []string
	for range 2 {
		k := startChild(t, "crash", data, src)
		p, ok := strings.CutPrefix(k.line(t), "crashed in ")
		if !ok {
			t.Fatal("the crashing build said nothing")
		}
		k.finish(t)
		partial = append(partial, p)
	}
	for _, p := range partial {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("no partial folder to clean: %v", err)
		}
	}

	// Reopening the index in service, which builds nothing, cleans up.
	ix, err = Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := ix.Stats().Dir; got != dir {
		t.Errorf("opened %s, want the index in service %s", got, dir)
	}
	if got := indexFolders(t, corpusRoot(data, c)); len(got) != 1 || got[0] != dir {
		t.Errorf("index folders after reopening: %v, want only %s", got, dir)
	}
}
