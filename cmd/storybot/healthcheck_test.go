package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	_, _, base := newOpsServer(t, nil)
	healthy := strings.TrimPrefix(base, "http://")

	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	dead.Close() // nothing listens there now

	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "broken", http.StatusInternalServerError)
	}))
	defer sick.Close()

	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		msg  string
	}{
		{"healthy, by flag", nil, []string{"healthcheck", "--addr", healthy}, 0, ""},
		{"healthy, by STORYBOT_HTTP_ADDR", map[string]string{"STORYBOT_HTTP_ADDR": healthy}, []string{"healthcheck"}, 0, ""},
		{"healthy, as a URL", nil, []string{"healthcheck", "--addr", base}, 0, ""},
		{"healthy, on every interface", nil, []string{"healthcheck", "--addr", ":" + port(t, healthy)}, 0, ""},
		{"dead address", nil, []string{"healthcheck", "--addr", deadAddr}, 1, "connection refused"},
		{"not 200", nil, []string{"healthcheck", "--addr", sick.URL}, 1, "500 Internal Server Error"},
		{"no address", nil, []string{"healthcheck"}, 2, "set STORYBOT_HTTP_ADDR or give --addr"},
		{"bad address", nil, []string{"healthcheck", "--addr", "8080"}, 2, `address "8080": want host:port or :port`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := runCmdEnv(t, tt.env, "", tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.msg)
			}
			if code == 0 && out != "ok\n" {
				t.Errorf("stdout %q, want ok", out)
			}
		})
	}
}

func port(t *testing.T, addr string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
