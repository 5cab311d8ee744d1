package index_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// currentRSS is this process's resident memory, in bytes.
func currentRSS() (int64, bool) { return procStatus("VmRSS:") }

// peakRSS is this process's peak resident memory, in bytes. (Not the
// parent's rusage of the child: a child started by vfork inherits its
// parent's peak until it runs its program.)
func peakRSS() (int64, bool) { return procStatus("VmHWM:") }

// procStatus reads a figure in kB of /proc/self/status, in bytes.
func procStatus(field string) (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), field)
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}
