//go:build !unix

package live

import "testing"

// asNobody is for Unix, where root ignores file permissions; elsewhere the
// tests do not run as root.
func asNobody(t *testing.T) {
	t.Helper()
	t.Skip("running as another user is for Unix")
}
