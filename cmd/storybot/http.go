package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot"
)

// Modes of serve, the values of STORYBOT_MODE.
const (
	modeGateway = "gateway" // one process connected to Discord's gateway
	modeHTTP    = "http"    // Discord POSTs interactions to /interactions
)

// Paths of the HTTP server.
const (
	healthzPath      = "/healthz"           // alive: 200 while the process serves HTTP
	readyzPath       = "/readyz"            // ready: 200 once it can answer, else 503
	metricsPath      = "/metrics"           // Prometheus's text format
	interactionsPath = bot.InteractionsPath // Discord's signed POSTs, in http mode
)

// Timeouts of the HTTP server. Discord's interaction requests are small
// and want an answer within 3 s; a Prometheus scrape is one short GET.
const (
	httpReadHeaderTimeout = 5 * time.Second
	httpReadTimeout       = 10 * time.Second
	httpWriteTimeout      = 30 * time.Second
	httpIdleTimeout       = 2 * time.Minute
	// httpShutdownTimeout bounds the wait for requests in flight once serve
	// is told to stop; the connections still open after it are closed.
	httpShutdownTimeout = 10 * time.Second
)

// publicKeyHexLen is the length of an Ed25519 public key in hex, as the
// application's page in Discord's developer portal shows it.
const publicKeyHexLen = 2 * ed25519.PublicKeySize

// parsePublicKey reads STORYBOT_PUBLIC_KEY (with the bot's check): a bad key
// is a usage error.
func parsePublicKey(s string) (ed25519.PublicKey, error) {
	k, err := bot.ParsePublicKey(s)
	if err != nil {
		shown := s
		if len(shown) > publicKeyHexLen+8 {
			shown = shown[:publicKeyHexLen+8] + "…"
		}
		return nil, usagef("STORYBOT_PUBLIC_KEY=%q: want the application's public key, %d hex digits (the developer portal's General Information page shows it)", shown, publicKeyHexLen)
	}
	return k, nil
}

// readier says whether the bot can serve (*bot.Bot).
type readier interface{ Ready() bool }

// infoer describes the corpus and the index in service (the engine).
type infoer interface{ Info() answer.Info }

// status is what the HTTP server tells of a serve while it starts and runs:
// the engine once its index is loaded, and the bot once it is made.
type status struct {
	mu     sync.Mutex
	engine infoer
	bot    readier
}

func (s *status) setEngine(e infoer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.engine = e
}

func (s *status) setBot(b readier) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bot = b
}

// info is the engine's Info, and whether the index is loaded.
func (s *status) info() (answer.Info, bool) {
	s.mu.Lock()
	e := s.engine
	s.mu.Unlock()
	if e == nil {
		return answer.Info{}, false
	}
	return e.Info(), true
}

// ready reports whether the serve can answer: the index is loaded and the
// bot ready (in gateway mode, the gateway connected). When not, why says
// what it waits for.
func (s *status) ready() (ok bool, why string) {
	s.mu.Lock()
	e, b := s.engine, s.bot
	s.mu.Unlock()
	switch {
	case e == nil:
		return false, "loading the index"
	case b == nil:
		return false, "starting the bot"
	case !b.Ready():
		return false, "not connected to Discord"
	}
	return true, ""
}

// lateHandler serves with a handler set once it exists (the bot's
// interactions endpoint, made after the index is loaded) and answers 503
// until then.
type lateHandler struct{ h atomic.Pointer[http.Handler] }

func (l *lateHandler) set(h http.Handler) { l.h.Store(&h) }

func (l *lateHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := l.h.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	http.Error(w, "starting", http.StatusServiceUnavailable)
}

// newHTTPHandler routes the serve's HTTP paths: health, readiness and
// metrics always; /interactions when interactions is not nil (http mode).
func newHTTPHandler(st *status, metrics http.Handler, interactions http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+healthzPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET "+readyzPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if ok, why := st.ready(); !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %s\n", why)
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("GET "+metricsPath, metrics)
	if interactions != nil {
		mux.Handle("POST "+interactionsPath, interactions)
	}
	return mux
}

// serveHTTP serves h on ln until ctx is done, then shuts down gracefully:
// it stops accepting, waits up to httpShutdownTimeout for the requests in
// flight and returns. It returns an error when serving fails.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: httpReadHeaderTimeout,
		ReadTimeout:       httpReadTimeout,
		WriteTimeout:      httpWriteTimeout,
		IdleTimeout:       httpIdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Info("serving HTTP", "addr", ln.Addr().String())
	select {
	case err := <-served:
		return fmt.Errorf("serve HTTP on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), httpShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close()
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("serve HTTP on %s: %w", ln.Addr(), serr)
	}
	if err != nil {
		return fmt.Errorf("shut the HTTP server down: %w", err)
	}
	logger.Info("HTTP server stopped")
	return nil
}

// startHTTP serves h on ln, in a goroutine of its own, until ctx is done.
// When serving fails it calls fail with the error, so that the serve stops.
// wait waits for the server to have stopped (after ctx is done) and returns
// what stopped it.
func startHTTP(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, fail func(error)) (wait func() error) {
	done := make(chan error, 1)
	go func() {
		err := serveHTTP(ctx, ln, h, logger)
		if err != nil {
			fail(err)
		}
		done <- err
	}()
	return func() error { return <-done }
}

// ops is the operating side of a serve: its status, its metrics, and the
// HTTP server that shows them, when there is one.
type ops struct {
	status  *status
	metrics *metrics
	// interactions is /interactions, set once the bot is made (http mode).
	interactions *lateHandler
	cancel       context.CancelCauseFunc
	wait         func() error // nil without an HTTP server
	stopOnce     sync.Once
}

// startOps starts the HTTP server on addr (none when addr is empty), with
// /interactions when interactions is true. It returns the context the serve
// runs in, done when ctx is or when the HTTP server fails. Call stop once the
// bot has stopped.
func startOps(ctx context.Context, addr string, interactions bool, logger *slog.Logger) (context.Context, *ops, error) {
	o := &ops{status: new(status)}
	o.metrics = newMetrics(o.status, currentVersion())
	ctx, o.cancel = context.WithCancelCause(ctx)
	if addr == "" {
		return ctx, o, nil
	}
	var ih http.Handler
	if interactions {
		o.interactions = new(lateHandler)
		ih = o.interactions
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		o.cancel(nil)
		return ctx, nil, fmt.Errorf("listen for HTTP: %w", err) // names the address
	}
	h := newHTTPHandler(o.status, o.metrics.handler(), ih)
	o.wait = startHTTP(ctx, ln, h, logger, o.cancel)
	return ctx, o, nil
}

// stop stops the HTTP server, waiting for the requests in flight, and
// returns why it failed, if it did. Later calls do nothing and return nil.
func (o *ops) stop() error {
	var err error
	o.stopOnce.Do(func() {
		o.cancel(nil)
		if o.wait != nil {
			err = o.wait()
		}
	})
	return err
}
