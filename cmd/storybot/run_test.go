package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestErrorsSaidOnce checks that a mistake is reported in one line, once.
func TestErrorsSaidOnce(t *testing.T) {
	empty := t.TempDir()
	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"empty corpus folder", []string{"ask", "--corpus", empty, "q"}, `storybot: load corpus "` + empty + `": no documents: no .txt or .md file` + "\n"},
		{"unknown flag", []string{"ask", "--bogus", "q"}, `storybot: ask: flag provided but not defined: -bogus (see "storybot ask -h")` + "\n"},
		{"bad flag value", []string{"index", "--data-dir"}, `storybot: index: flag needs an argument: -data-dir (see "storybot index -h")` + "\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := runCmd(t, "", tt.args...)
			if code == 0 || errs != tt.msg {
				t.Errorf("exit %d, stderr\n%q\nwant\n%q", code, errs, tt.msg)
			}
		})
	}
}

func TestEnvironmentChecked(t *testing.T) {
	for _, tt := range []struct {
		key, value, msg string
	}{
		{"STORYBOT_RATE_LIMIT", "abc", `STORYBOT_RATE_LIMIT="abc": want a whole number, 1 or more`},
		{"STORYBOT_RATE_LIMIT", "0", `STORYBOT_RATE_LIMIT="0": want a whole number, 1 or more`},
		{"STORYBOT_MAX_CONCURRENT", "0", `STORYBOT_MAX_CONCURRENT="0": want a whole number, 1 or more`},
		{"STORYBOT_MAX_CONCURRENT", "-3", `STORYBOT_MAX_CONCURRENT="-3": want a whole number, 1 or more`},
		{"STORYBOT_RATE_WINDOW", "-5s", `STORYBOT_RATE_WINDOW="-5s": want a duration above 0, such as 30s or 2m`},
		{"STORYBOT_RATE_WINDOW", "0", `STORYBOT_RATE_WINDOW="0s": want a duration above 0, such as 30s or 2m`},
		{"STORYBOT_RATE_WINDOW", "soon", `STORYBOT_RATE_WINDOW="soon": want a duration above 0, such as 30s or 2m`},
		{"STORYBOT_LOG_LEVEL", "loud", `STORYBOT_LOG_LEVEL="loud": want debug, info, warn or error`},
		{"STORYBOT_MOD_ROLES", "moderators", `STORYBOT_MOD_ROLES="moderators": want role IDs (numbers of 17 to 20 digits) separated by commas`},
		{"STORYBOT_MOD_ROLES", "80351110224678912,123", `STORYBOT_MOD_ROLES="80351110224678912,123": want role IDs (numbers of 17 to 20 digits) separated by commas`},
		{"STORYBOT_MOD_ROLES", "80351110224678912,", `STORYBOT_MOD_ROLES="80351110224678912,": want role IDs (numbers of 17 to 20 digits) separated by commas`},
		{"STORYBOT_MOD_ROLES", "-80351110224678912", `STORYBOT_MOD_ROLES="-80351110224678912": want role IDs (numbers of 17 to 20 digits) separated by commas`},
		{"STORYBOT_LOG_FORMAT", "xml", `STORYBOT_LOG_FORMAT="xml": want text or json`},
		{"STORYBOT_MODE", "websocket", `STORYBOT_MODE="websocket": want gateway or http`},
		{"STORYBOT_SHARD_COUNT", "0", `STORYBOT_SHARD_COUNT="0": want a whole number, 1 or more`},
		{"STORYBOT_SHARD_COUNT", "two", `STORYBOT_SHARD_COUNT="two": want a whole number, 1 or more`},
		{"STORYBOT_SHARD_ID", "1", `STORYBOT_SHARD_ID="1": want 0 to 0 (below STORYBOT_SHARD_COUNT=1)`},
		{"STORYBOT_SHARD_ID", "-1", `STORYBOT_SHARD_ID="-1": want 0 to 0 (below STORYBOT_SHARD_COUNT=1)`},
		{"STORYBOT_PUBLIC_KEY", "abc", `STORYBOT_PUBLIC_KEY="abc": want the application's public key, 64 hex digits (the developer portal's General Information page shows it)`},
	} {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			// Every value is checked whatever the command, so a bad value
			// for serve is found by the first ask.
			_, errs, code := runCmdEnv(t, map[string]string{tt.key: tt.value}, "", "ask", "--corpus", testCorpus, "What was the miller called?")
			if code != 2 || errs != "storybot: "+tt.msg+"\n" {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tt.msg)
			}
			// help still works, to say what is accepted.
			out, _, code := runCmdEnv(t, map[string]string{tt.key: tt.value}, "", "help")
			if code != 0 || !strings.Contains(out, tt.key) {
				t.Errorf("help: exit %d", code)
			}
		})
	}
	// Good values pass.
	_, errs, code := runCmdEnv(t, map[string]string{"STORYBOT_RATE_LIMIT": "1", "STORYBOT_RATE_WINDOW": "1m", "STORYBOT_MAX_CONCURRENT": "2",
		"STORYBOT_LOG_FORMAT": "json", "STORYBOT_MODE": "http", "STORYBOT_SHARD_ID": "3", "STORYBOT_SHARD_COUNT": "4",
		"STORYBOT_PUBLIC_KEY": strings.Repeat("0f", 32)},
		"", "ask", "--corpus", testCorpus, "What was the miller called?")
	if code != 0 {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestHelp(t *testing.T) {
	out, errs, code := runCmd(t, "", "help")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"ask [--json] [--top N] [--corpus DIR] [--data-dir DIR] [QUESTION...]",
		"index [--dry-run] [--corpus DIR] [--data-dir DIR]",
		"eval [-v] [--min-evidence X] [--corpus DIR] [--data-dir DIR] QUESTIONS.jsonl",
		"serve [--http] [--corpus DIR] [--data-dir DIR]",
		"healthcheck [--addr ADDR]", "version\n",
		"exit status:", "2  a usage error",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
	checkEnvironmentTable(t, out)
}

// checkEnvironmentTable checks the environment table in out: a row for
// every variable of Config, every row's default and meaning starting in
// the same columns, and no tab left to the terminal.
func checkEnvironmentTable(t *testing.T, out string) {
	t.Helper()
	_, env, _ := strings.Cut(out, "\n  VARIABLE ")
	if strings.Contains(env, "\t") {
		t.Errorf("the environment table holds tabs:\n%s", env)
	}
	row := regexp.MustCompile(`(?m)^  (STORYBOT_\w+ +)(\S.*?  +)\S`)
	rows := row.FindAllStringSubmatch(env, -1)
	if n := reflect.TypeFor[Config]().NumField(); len(rows) != n {
		t.Fatalf("%d rows in the environment table, want %d:\n%s", len(rows), n, env)
	}
	for _, r := range rows {
		if len(r[1]) != len(rows[0][1]) || len(r[2]) != len(rows[0][2]) {
			t.Errorf("row %q not aligned with %q", r[0], rows[0][0])
		}
	}
	for _, want := range []string{
		"STORYBOT_RATE_LIMIT +5 ", "STORYBOT_CORPUS +embedded story ",
		"STORYBOT_MODE +gateway ", "STORYBOT_HTTP_ADDR +off; required in http mode ",
		"STORYBOT_LOG_FORMAT +text ", "STORYBOT_SHARD_COUNT +1 ",
	} {
		if !regexp.MustCompile(`(?m)^  ` + want).MatchString(env) {
			t.Errorf("environment table lacks %q:\n%s", want, env)
		}
	}
}

// TestServeHelpListsEverySetting checks that serve -h shows its flags and
// every environment variable with its default.
func TestServeHelpListsEverySetting(t *testing.T) {
	_, errs, code := runCmd(t, "", "serve", "-h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"  -http\n", "  -corpus ", "  -data-dir "} {
		if !strings.Contains(errs, want) {
			t.Errorf("serve -h lacks %q:\n%s", want, errs)
		}
	}
	checkEnvironmentTable(t, errs)
}

func TestCommandUsage(t *testing.T) {
	for cmd, line := range map[string]string{
		"ask":   "usage: storybot ask [--json] [--top N] [--corpus DIR] [--data-dir DIR] [QUESTION...]\n",
		"index": "usage: storybot index [--dry-run] [--corpus DIR] [--data-dir DIR]\n",
		"serve": "usage: storybot serve [--http] [--corpus DIR] [--data-dir DIR]\n",
	} {
		_, errs, code := runCmd(t, "", cmd, "-h")
		if code != 0 || !strings.HasPrefix(errs, line) || !strings.Contains(errs, "-data-dir") || strings.Contains(errs, "Usage of") {
			t.Errorf("%s -h: exit %d:\n%s", cmd, code, errs)
		}
	}
}

// TestLogLinesCannotBeForged uses a file name holding a newline and text
// that looks like a log record: every line of standard error must be one
// record (or storybot's one line about a failure), and none the forgery.
func TestLogLinesCannotBeForged(t *testing.T) {
	const forged = "a\nlevel=ERROR msg=forged.txt"
	withGood := t.TempDir()
	alone := t.TempDir()
	for _, dir := range []string{withGood, alone} {
		// A binary file, skipped with a warning that names it.
		if err := os.WriteFile(filepath.Join(dir, forged), []byte("x\x00y"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(withGood, "good.txt"), []byte("The keeper lit the lamp.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, dir string
		code      int
	}{
		{"skipped beside a good file", withGood, 0},
		{"the only file, so the load fails", alone, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := runCmdEnv(t, map[string]string{"STORYBOT_LOG_LEVEL": "debug"}, "", "ask", "--corpus", tt.dir, "Who lit the lamp?")
			if code != tt.code || !strings.Contains(errs, `a\nlevel=ERROR msg=forged.txt`) {
				t.Errorf("exit %d, stderr:\n%s", code, errs)
			}
			for _, line := range strings.Split(strings.TrimSuffix(errs, "\n"), "\n") {
				if !strings.HasPrefix(line, "time=") && !strings.HasPrefix(line, "storybot: ") {
					t.Errorf("not a log record: %q", line)
				}
			}
		})
	}
}
