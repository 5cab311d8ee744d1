package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheckTimeout bounds a healthcheck from connecting to reading the
// answer: /healthz does no work, so a serve that has not answered by then is
// stuck. It is well inside Docker's default HEALTHCHECK timeout (30 s).
const healthcheckTimeout = 3 * time.Second

// runHealthcheck asks a running serve's /healthz whether it is alive: the
// image's HEALTHCHECK, which has no shell or curl to do it with. It returns
// nil (exit 0) on a 200, an error (exit 1) otherwise.
func runHealthcheck(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("healthcheck", stderr)
	addr := fs.String("addr", cfg.HTTPAddr, "address of the serve's HTTP server, such as :8080 (default: STORYBOT_HTTP_ADDR)")
	args, err := parse(fs, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if len(args) > 0 {
		return usagef("healthcheck: unexpected argument %q", args[0])
	}
	if *addr == "" {
		return usagef("healthcheck: no address: set STORYBOT_HTTP_ADDR or give --addr")
	}
	u, err := healthzURL(*addr)
	if err != nil {
		return err
	}
	if err := checkHealth(ctx, u, healthcheckTimeout); err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	_, err = fmt.Fprintln(stdout, "ok")
	return err
}

// healthzURL is the URL of /healthz on the server listening at addr, an
// address as STORYBOT_HTTP_ADDR takes it (":8080", "0.0.0.0:8080",
// "host:8080") or an http:// URL. An address that listens on every
// interface is reached on loopback.
func healthzURL(addr string) (string, error) {
	if strings.HasPrefix(addr, "http://") || strings.HasPrefix(addr, "https://") {
		return strings.TrimRight(addr, "/") + healthzPath, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", usagef("healthcheck: address %q: want host:port or :port, such as :8080", addr)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + healthzPath, nil
}

// checkHealth GETs url within timeout and wants a 200.
func checkHealth(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	// No proxy: the server is this container or this machine.
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return err // names the method, the URL and what failed
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}
