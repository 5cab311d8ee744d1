package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// childEnv, set to 1, makes the test binary run storybot (see TestMain).
const childEnv = "STORYBOT_TEST_CHILD"

// TestMain runs the tests, or, in a child process that another test starts
// (see startChild), storybot's main with the arguments after "--".
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "1" {
		os.Exit(m.Run())
	}
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, flag.Args(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		printError(os.Stderr, err)
	}
	os.Exit(exitCode(err))
}

// childDeadline bounds how long a test waits for a child to log a line or
// to exit; a child that takes longer is stuck, and killed.
const childDeadline = time.Minute

// child is storybot running in a child process.
type child struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer

	mu     sync.Mutex
	stderr bytes.Buffer
	line   chan struct{} // closed and replaced at each line of stderr
	read   chan struct{} // closed when stderr is read to its end
}

// startChild starts storybot with args and, over a clean environment (no
// STORYBOT_ variable of the test's, no proxy), the variables of env. It is
// killed when the test ends, if it has not exited.
func startChild(t *testing.T, env map[string]string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--"}, args...)...)
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "STORYBOT_") || k == "DISCORD_TOKEN" || strings.HasSuffix(strings.ToUpper(k), "_PROXY") {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, childEnv+"=1", "STORYBOT_DATA_DIR="+t.TempDir())
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	c := &child{cmd: cmd, line: make(chan struct{}), read: make(chan struct{})}
	cmd.Stdout = &c.stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.read)
		sc := bufio.NewScanner(pipe)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			c.mu.Lock()
			c.stderr.Write(sc.Bytes())
			c.stderr.WriteByte('\n')
			close(c.line)
			c.line = make(chan struct{})
			c.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			c.wait(t)
		}
	})
	return c
}

// waitFor waits for a line of stderr matching re and returns its
// submatches.
func (c *child) waitFor(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(childDeadline)
	for {
		c.mu.Lock()
		m := re.FindStringSubmatch(c.stderr.String())
		next := c.line
		c.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-next:
		case <-c.read:
			t.Fatalf("storybot ended without logging %s:\n%s", re, c.stderrText())
		case <-deadline:
			t.Fatalf("storybot did not log %s within %s:\n%s", re, childDeadline, c.stderrText())
		}
	}
}

// wait waits for the child to exit and returns its exit status.
func (c *child) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-c.read:
	case <-time.After(childDeadline):
		c.cmd.Process.Kill()
		t.Errorf("storybot did not exit within %s", childDeadline)
		<-c.read
	}
	c.cmd.Wait()
	return c.cmd.ProcessState.ExitCode()
}

func (c *child) stderrText() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

// output is all the child wrote, standard output then standard error, once
// it has exited (see wait).
func (c *child) output() string { return c.stdout.String() + c.stderrText() }
