package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version is the version a release build stamps in:
//
//	go build -ldflags "-X main.version=v1.2.3" ./cmd/storybot
//
// It is the one package variable the linker writes, and nothing else does.
// Empty, the version comes from the build information (see buildVersion).
var version string

// shortRevision is how many hex digits of a commit name a version shows.
const shortRevision = 12

// buildVersion is the stamped version, else the module's version (set when
// built with "go install …@version"), else the commit the binary was built
// from (with "-dirty" for uncommitted changes), else "dev".
func buildVersion(stamped string, info *debug.BuildInfo, ok bool) string {
	if stamped != "" {
		return stamped
	}
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > shortRevision {
		rev = rev[:shortRevision]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}

// currentVersion is this binary's version, as "storybot version" prints it.
func currentVersion() string {
	info, ok := debug.ReadBuildInfo()
	return buildVersion(version, info, ok)
}

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", stderr)
	args, err := parse(fs, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if len(args) > 0 {
		return usagef("version: unexpected argument %q", args[0])
	}
	_, err = fmt.Fprintln(stdout, "storybot", currentVersion())
	return err
}
