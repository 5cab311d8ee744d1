package main

import (
	"net"
	"regexp"
	"strings"
	"testing"
)

// testToken is a Discord token as serve is given one. No line storybot
// writes may hold it, nor its parts.
const testToken = "MTAxNTk4NDQ4MDA0.GsEcRt.T0kEn-NeVer-Sh0wn_7yQ"

// deadProxy is where the tests send Discord's HTTPS requests: a loopback
// port nothing listens on, so that connecting to Discord fails at once and
// nothing leaves the machine.
const deadProxy = "http://127.0.0.1:1"

// TestTokenNeverShown runs serve, with a token, against setups that fail in
// each of its steps, at the debug level, in both log formats, and looks for
// the token in everything the process wrote.
func TestTokenNeverShown(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		msg  string
	}{
		{"Discord unreachable", nil, nil, 1, "open discord gateway"},
		{"Discord unreachable, with an HTTP server", map[string]string{"STORYBOT_HTTP_ADDR": "127.0.0.1:0"}, nil, 1, "open discord gateway"},
		{"HTTP address taken", map[string]string{"STORYBOT_HTTP_ADDR": taken.Addr().String()}, nil, 1, "address already in use"},
		{"missing corpus", nil, []string{"--corpus", "/nonexistent/corpus"}, 1, "/nonexistent/corpus"},
		{"bad public key", map[string]string{"STORYBOT_PUBLIC_KEY": "0123"}, nil, 2, "STORYBOT_PUBLIC_KEY"},
		{"http mode without a public key", map[string]string{"STORYBOT_HTTP_ADDR": "127.0.0.1:0"}, []string{"--http"}, 2, "needs STORYBOT_PUBLIC_KEY"},
		{"bad shard", map[string]string{"STORYBOT_SHARD_ID": "4", "STORYBOT_SHARD_COUNT": "4"}, nil, 2, "STORYBOT_SHARD_ID"},
	} {
		for _, format := range []string{logText, logJSON} {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				env := map[string]string{
					"STORYBOT_DISCORD_TOKEN": testToken,
					"STORYBOT_LOG_LEVEL":     "debug",
					"STORYBOT_LOG_FORMAT":    format,
					"HTTPS_PROXY":            deadProxy,
				}
				for k, v := range tt.env {
					env[k] = v
				}
				c := startChild(t, env, append([]string{"serve", "--corpus", testCorpus}, tt.args...)...)
				code := c.wait(t)
				out := c.output()
				if code != tt.code || !strings.Contains(out, tt.msg) {
					t.Errorf("exit %d, want %d and %q in:\n%s", code, tt.code, tt.msg, out)
				}
				for _, part := range append([]string{testToken}, strings.Split(testToken, ".")...) {
					if strings.Contains(out, part) {
						t.Errorf("the token's %q is in what serve wrote:\n%s", part, out)
					}
				}
			})
		}
	}
}

// servingHTTP is the log line that says where the HTTP server listens.
var servingHTTP = regexp.MustCompile(`msg="serving HTTP" .*addr=(\S+)`)
