package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// InteractionsPath is the path Discord's HTTP interactions are usually
// served on: the application's "Interactions Endpoint URL" ends with it.
const InteractionsPath = "/interactions"

const (
	// MaxSignatureAge is how far a request's X-Signature-Timestamp may be
	// from the endpoint's clock, either way, for the request to be taken:
	// a signed request replayed later is refused.
	MaxSignatureAge = 5 * time.Minute
	// MaxInteractionBody bounds a request's body, in bytes; Discord's are
	// a few KiB, a message command's with its target message at most
	// tens of KiB.
	MaxInteractionBody = 1 << 20
	// DefaultAnswerBudget is how long the endpoint waits for deferred work
	// (a question, a page of results) before it defers the response and
	// sends the result over the REST API instead; well within the 3 s
	// Discord gives a first response. The story answers in well under a
	// millisecond, so its answers are the response itself.
	DefaultAnswerBudget = 2 * time.Second
)

// ErrPublicKey is returned by ParsePublicKey for a key that is not 64
// hexadecimal digits.
var ErrPublicKey = errors.New("public key must be 64 hexadecimal digits")

// ParsePublicKey parses an application's public key as Discord shows it on
// the application's page: 64 hexadecimal digits.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	k, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, ErrPublicKey
	}
	return ed25519.PublicKey(k), nil
}

// Why a request is refused; the log gets them, the client a 401.
var (
	errNoSignature  = errors.New("no X-Signature-Ed25519 or X-Signature-Timestamp header")
	errBadSignature = errors.New("signature does not verify")
	errBadTimestamp = errors.New("timestamp is not a Unix time in seconds")
	errStale        = errors.New("timestamp too far from now")
)

// endpoint serves Discord's HTTP interactions for a Bot.
type endpoint struct {
	b   *Bot
	key ed25519.PublicKey
	// budget is how long deferred work may take to be the response itself.
	budget time.Duration
	// now is the clock signature timestamps are checked against.
	now func() time.Time
}

// InteractionsHandler returns the handler of the HTTP interactions
// endpoint, to be mounted on POST InteractionsPath: it verifies each
// request's Ed25519 signature with the application's public key and serves
// it with the same handlers as the gateway. See the package comment.
func (b *Bot) InteractionsHandler(publicKey ed25519.PublicKey) http.Handler {
	b.httpMode.Store(true)
	return &endpoint{b: b, key: publicKey, budget: DefaultAnswerBudget, now: time.Now}
}

// Log keys of the endpoint.
const keyRemote = "remote"

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	// The handlers recover their own panics into apologies; this is for
	// anything else, which net/http would log outside the bot's log.
	defer func() {
		if p := recover(); p != nil {
			e.b.logPanic("interactions endpoint", p, keyRemote, r.RemoteAddr)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxInteractionBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read request body", http.StatusBadRequest)
		return
	}
	if err := e.verify(r.Header, body); err != nil {
		e.b.log.Debug("interaction refused", keyRemote, r.RemoteAddr, keyErr, err)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		e.b.log.Warn("signed interaction is not JSON", keyRemote, r.RemoteAddr, keyErr, err)
		http.Error(w, "interaction is not JSON", http.StatusBadRequest)
		return
	}
	e.serve(w, r, &i, arrived)
}

// verify checks a request's signature: X-Signature-Ed25519 signs
// X-Signature-Timestamp followed by the body, and the timestamp is within
// MaxSignatureAge of now.
func (e *endpoint) verify(h http.Header, body []byte) error {
	sigHex, ts := h.Get("X-Signature-Ed25519"), h.Get("X-Signature-Timestamp")
	if sigHex == "" || ts == "" {
		return errNoSignature
	}
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize || len(e.key) != ed25519.PublicKeySize {
		return errBadSignature
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(e.key, msg, sig) {
		return errBadSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errBadTimestamp
	}
	if d := e.now().Sub(time.Unix(sec, 0)); d > MaxSignatureAge || d < -MaxSignatureAge {
		return fmt.Errorf("%w: %v", errStale, d.Round(time.Second))
	}
	return nil
}

// serve answers a verified interaction: with its first response, or, when
// its deferred work is done within the budget, with the work's result;
// else with the deferred first response, the result following over the REST
// API. A question's outcome is reported once its reply is handed over.
func (e *endpoint) serve(w http.ResponseWriter, req *http.Request, i *discordgo.Interaction, arrived time.Time) {
	b := e.b
	_, question := questionSource(i)
	report := func(o Outcome) {
		if question {
			b.report(SourceHTTP, o, arrived)
		}
	}
	r := b.respond(i)
	if r.later == nil {
		b.release(r)
		ended := r.ended
		if err := e.write(w, i, r.first); err != nil {
			ended = OutcomeError
		}
		report(ended)
		return
	}
	h := &handoff{result: make(chan outcome, 1), written: make(chan struct{})}
	if !b.spawn(func(ctx context.Context) { e.work(ctx, i, r, h, report) }) {
		// Shutting down: no work may start.
		b.release(r)
		o := busy()
		if err := e.write(w, i, ephemeral(o.fail)); err != nil {
			o.kind = OutcomeError
		}
		report(o.kind)
		return
	}
	t := time.NewTimer(e.budget)
	defer t.Stop()
	select {
	case o := <-h.result:
		e.writeInline(w, i, r, o, report)
		return
	case <-t.C:
	case <-req.Context().Done():
	}
	if !h.deferTo() {
		// The work finished meanwhile and is the response after all.
		e.writeInline(w, i, r, <-h.result, report)
		return
	}
	if e.write(w, i, r.first) == nil {
		// Discord must have the deferred response before its edit.
		http.NewResponseController(w).Flush()
	}
	close(h.written)
}

// writeInline writes deferred work's outcome as the response itself and reports
// it.
func (e *endpoint) writeInline(w http.ResponseWriter, i *discordgo.Interaction, r reply, o outcome, report func(Outcome)) {
	ended := o.kind
	if err := e.write(w, i, inline(r.first, o)); err != nil {
		ended = OutcomeError
	}
	report(ended)
}

// work does a reply's deferred work on a goroutine the Bot owns: its result
// is the response when the handler still waits for it, else, once the
// deferred response is written, it edits the original response over the
// REST API and reports the outcome.
func (e *endpoint) work(ctx context.Context, i *discordgo.Interaction, r reply, h *handoff, report func(Outcome)) {
	o := e.b.runLater(ctx, i, r)
	if h.claim() {
		h.result <- o
		return
	}
	<-h.written
	ended := o.kind
	if err := e.b.deliver(ctx, i, r.first, o); err != nil {
		ended = OutcomeError
	}
	report(ended)
}

// write writes an interaction response as the HTTP response.
func (e *endpoint) write(w http.ResponseWriter, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	body, err := json.Marshal(resp)
	if err != nil {
		e.b.interactionLog(i).Error("encode interaction response", keyErr, err)
		http.Error(w, "cannot encode the response", http.StatusInternalServerError)
		return fmt.Errorf("encode interaction response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	if _, err := w.Write(body); err != nil {
		e.b.interactionLog(i).Warn("write interaction response", keyErr, err)
		return fmt.Errorf("write interaction response: %w", err)
	}
	return nil
}

// handoff decides, once, who sends deferred work's result: the request's
// handler, as the response itself (the work claims it in time), or the work,
// over the REST API after the handler has written the deferred response.
type handoff struct {
	mu      sync.Mutex
	decided bool
	// result carries the outcome to the handler when the work claimed it.
	result chan outcome
	// written is closed once the deferred response is written.
	written chan struct{}
}

// claim is the work's attempt to make its result the response.
func (h *handoff) claim() bool { return h.decide() }

// deferTo is the handler's attempt to defer, leaving the result to the work.
func (h *handoff) deferTo() bool { return h.decide() }

func (h *handoff) decide() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.decided {
		return false
	}
	h.decided = true
	return true
}

// RunHTTP runs the bot in HTTP mode, with no gateway: it registers the
// commands over the REST API in the background, retrying with backoff while
// Discord refuses them (the application ID is Config.ApplicationID, else
// asked of Discord), and serves nothing itself: the handler from
// InteractionsHandler, on the caller's HTTP server, serves the
// interactions. When ctx is done it stops taking new work, waits for the
// work in flight and returns nil.
func (b *Bot) RunHTTP(ctx context.Context) error {
	b.httpMode.Store(true)
	b.mu.Lock()
	b.base = context.WithoutCancel(ctx)
	b.stopping, b.stop = context.WithCancel(b.base)
	b.closing = false
	b.mu.Unlock()
	var registering sync.WaitGroup
	registering.Go(func() { b.register(ctx, "", b.cfg.ApplicationID) })
	<-ctx.Done()
	registering.Wait()
	b.drain()
	b.log.Info("discord bot stopped")
	return nil
}
