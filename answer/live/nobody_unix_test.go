//go:build unix

package live

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// nobody is the user a test runs as again when it needs file permissions
// to hold, and the tests run as root, whom they do not stop.
const nobody = 65534

// asNobody runs the calling test again, alone, in a copy of the test binary
// run as the user nobody, and fails the test unless it passes there.
func asNobody(t *testing.T) {
	t.Helper()
	dir, err := os.MkdirTemp("", "storybot-live-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// MkdirTemp makes the folder 0700: the child must run the binary in it.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "live.test")
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	var run []string
	for _, name := range strings.Split(t.Name(), "/") {
		run = append(run, "^"+regexp.QuoteMeta(name)+"$")
	}
	cmd := exec.Command(bin, "-test.run", strings.Join(run, "/"), "-test.count=1", "-test.v")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("%s as the user nobody: %v\n%s", t.Name(), err, out)
	}
}
