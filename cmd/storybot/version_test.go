package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	rev := func(r, modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: r}, {Key: "vcs.modified", Value: modified}}}
	}
	for _, tt := range []struct {
		name    string
		stamped string
		info    *debug.BuildInfo
		ok      bool
		want    string
	}{
		{"stamped", "v1.2.3", rev("0123456789abcdef0123", "false"), true, "v1.2.3"},
		{"module version", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.4.0"}}, true, "v0.4.0"},
		{"commit", "", rev("0123456789abcdef0123", "false"), true, "0123456789ab"},
		{"commit with changes", "", rev("0123456789abcdef0123", "true"), true, "0123456789ab-dirty"},
		{"nothing known", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "dev"},
		{"no build information", "", nil, false, "dev"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := buildVersion(tt.stamped, tt.info, tt.ok); got != tt.want {
				t.Errorf("buildVersion = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	// Whatever the environment holds, like help.
	out, errs, code := runCmdEnv(t, map[string]string{"STORYBOT_RATE_LIMIT": "none"}, "", "version")
	if code != 0 || out != "storybot "+currentVersion()+"\n" || errs != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, errs, code := runCmd(t, "", "version", "extra"); code != 2 || !strings.Contains(errs, "unexpected argument") {
		t.Errorf("version extra: exit %d, %q", code, errs)
	}
}
