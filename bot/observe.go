package bot

import (
	"fmt"
	"time"
)

// Source is the way a question came in.
//
// A question that came over the HTTP interactions endpoint has SourceHTTP,
// whatever command or button asked it; over the gateway, a slash command
// (/ask, /search and the pages of a /search) has SourceSlash, the "Ask the
// story" message command SourceContextMenu, and a message SourceMention or
// SourceDM.
type Source int

// The ways a question comes in.
const (
	SourceSlash Source = iota + 1
	SourceMention
	SourceDM
	SourceContextMenu
	SourceHTTP
)

// Sources lists every Source, for an Observer that sets its counters up
// front.
var Sources = []Source{SourceSlash, SourceMention, SourceDM, SourceContextMenu, SourceHTTP}

// String is the source's label: "slash", "mention", "dm", "context_menu" or
// "http".
func (s Source) String() string {
	switch s {
	case SourceSlash:
		return "slash"
	case SourceMention:
		return "mention"
	case SourceDM:
		return "dm"
	case SourceContextMenu:
		return "context_menu"
	case SourceHTTP:
		return "http"
	}
	return fmt.Sprintf("source(%d)", int(s))
}

// Outcome is how a question ended. It is the one value from which both what
// the user is told and what an Observer counts are made.
type Outcome int

// How a question ends.
const (
	// OutcomeAnswered: an answer (or a page of results) was shown.
	OutcomeAnswered Outcome = iota + 1
	// OutcomeNotFound: the corpus does not answer it (or has no results).
	OutcomeNotFound
	// OutcomeRefused: the question was refused (empty, no words, too
	// long, not text: see answer.Reason) before it reached the engine.
	OutcomeRefused
	// OutcomeRateLimited: its user asked more than the rate limit allows.
	OutcomeRateLimited
	// OutcomeBusy: every work slot was taken.
	OutcomeBusy
	// OutcomeError: the engine failed or took too long, the handler
	// panicked, or the reply could not be sent.
	OutcomeError
)

// Outcomes lists every Outcome, for an Observer that sets its counters up
// front.
var Outcomes = []Outcome{OutcomeAnswered, OutcomeNotFound, OutcomeRefused, OutcomeRateLimited, OutcomeBusy, OutcomeError}

// String is the outcome's label: "answered", "not_found", "refused",
// "rate_limited", "busy" or "error".
func (o Outcome) String() string {
	switch o {
	case OutcomeAnswered:
		return "answered"
	case OutcomeNotFound:
		return "not_found"
	case OutcomeRefused:
		return "refused"
	case OutcomeRateLimited:
		return "rate_limited"
	case OutcomeBusy:
		return "busy"
	case OutcomeError:
		return "error"
	}
	return fmt.Sprintf("outcome(%d)", int(o))
}

// Observer is told what the bot does; cmd implements it with Prometheus.
// Calls must be cheap and safe for concurrent use: they are made on the
// goroutines that answer.
type Observer interface {
	// Question is called exactly once for each question (a /ask, a /search
	// or one of its pages, the message command, a mention or a DM), when
	// its reply has been handed to Discord, with the time from its arrival
	// to then.
	Question(src Source, o Outcome, took time.Duration)
	// Vote is called for each feedback button clicked.
	Vote(up bool)
	// Reconnect is called each time the gateway connects again after its
	// first connection (resumed or not).
	Reconnect()
}

// noObserver is the Observer of a Bot given none.
type noObserver struct{}

func (noObserver) Question(Source, Outcome, time.Duration) {}
func (noObserver) Vote(bool)                               {}
func (noObserver) Reconnect()                              {}

// Ready reports whether the bot can serve: in gateway mode, while the gateway
// is connected; in HTTP mode, always once it serves the endpoint.
func (b *Bot) Ready() bool { return b.connected.Load() || b.httpMode.Load() }

// onConnect notes a gateway connection: every one after the first since Run
// started is a reconnect (discordgo emits Connect once a new connection is
// identified or resumed).
func (b *Bot) onConnect() {
	b.connected.Store(true)
	b.mu.Lock()
	b.connects++
	again := b.connects > 1
	b.mu.Unlock()
	if again {
		b.log.Info("discord gateway reconnected")
		b.cfg.Observer.Reconnect()
	}
}
