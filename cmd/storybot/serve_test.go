package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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

// TestServeHTTPMode runs serve --http with no gateway and a key of the
// test's: signed interactions are answered in the HTTP response, unsigned
// ones refused, the answer counted in /metrics, and SIGTERM stops it
// cleanly.
func TestServeHTTPMode(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := startChild(t, map[string]string{
		"STORYBOT_DISCORD_TOKEN":  testToken,
		"STORYBOT_HTTP_ADDR":      "127.0.0.1:0",
		"STORYBOT_PUBLIC_KEY":     hex.EncodeToString(pub),
		"STORYBOT_APPLICATION_ID": "100000000000000001",
		"STORYBOT_LOG_LEVEL":      "debug",
		"HTTPS_PROXY":             deadProxy, // registering the commands fails, and is retried
	}, "serve", "--http", "--corpus", testCorpus)
	base := "http://" + c.waitFor(t, servingHTTP)[1]
	c.waitFor(t, regexp.MustCompile(`msg="corpus ready"`))
	waitReady(t, base)

	post := func(body string, sign bool) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, base+interactionsPath, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if sign {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			req.Header.Set("X-Signature-Timestamp", ts)
			req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(ts+body))))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const ping = `{"id":"800000000000000001","application_id":"100000000000000001","type":1,"token":"t1","version":1}`
	if code, body := post(ping, true); code != http.StatusOK || !strings.Contains(body, `"type":1`) {
		t.Errorf("signed PING: %d %s, want a PONG", code, body)
	}
	if code, _ := post(ping, false); code != http.StatusUnauthorized {
		t.Errorf("unsigned PING: %d, want 401", code)
	}
	const ask = `{"id":"800000000000000002","application_id":"100000000000000001","type":2,"token":"t2","version":1,` +
		`"channel_id":"300000000000000001","guild_id":"200000000000000001",` +
		`"member":{"user":{"id":"400000000000000001","username":"alice"},"roles":[]},` +
		`"data":{"id":"900000000000000001","name":"ask","type":1,"options":[{"name":"question","type":3,"value":"When did Mara Quill become keeper?"}]}}`
	code, body := post(ask, true)
	if code != http.StatusOK || !strings.Contains(body, `"type":4`) || !strings.Contains(body, "1887") {
		t.Errorf("signed /ask: %d %s, want the answer as the response", code, body)
	}
	_, metrics := get(t, base, metricsPath)
	for _, want := range []string{
		`storybot_questions_total{outcome="answered",source="http"} 1`,
		`storybot_question_duration_seconds_count{outcome="answered",source="http"} 1`,
		`storybot_index_passages 10`,
		`storybot_ready 1`,
	} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := c.wait(t); code != 0 {
		t.Errorf("exit %d after SIGTERM, want 0", code)
	}
	out := c.output()
	for _, want := range []string{`msg="HTTP server stopped"`, `msg="discord bot stopped"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, testToken) {
		t.Errorf("the token is in what serve wrote:\n%s", out)
	}
}

// waitReady polls /readyz until it says ready: each GET is the pause
// between two tries (the bot is made moments after the corpus is ready).
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(childDeadline)
	for {
		code, body := get(t, base, readyzPath)
		if code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d %q after %s", code, body, childDeadline)
		}
	}
}
