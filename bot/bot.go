// Package bot puts storybot's answers in Discord.
//
// A Bot registers its application commands (/ask, /search, /passage, /about
// and the message context menu "Ask the story") with one bulk overwrite, and
// answers slash commands, buttons and autocomplete with embeds rendered from
// answer.Answer values. It is reached in one of two ways, which share every
// handler:
//
//   - Gateway mode, for one process: Run connects a *discordgo.Session to
//     Discord's gateway, and also answers mentions and direct messages.
//     Config.ShardID and ShardCount make it one shard of several (Discord
//     requires sharding from 2,500 guilds), each a process of its own.
//   - HTTP mode, for any number of stateless replicas behind a load
//     balancer: Discord POSTs each interaction to the application's
//     Interactions Endpoint URL. The caller mounts
//     b.InteractionsHandler(key) (key from ParsePublicKey, the
//     application's public key) on its HTTP server at InteractionsPath, and
//     runs b.RunHTTP(ctx), which registers the commands over the REST API
//     (with the bot token of the session given to New; the application ID
//     is Config.ApplicationID, else asked of Discord) and, when ctx is done,
//     waits for the work in flight; stop the HTTP server first, as
//     http.Server.Shutdown waits for the requests it serves. No gateway is
//     connected, so there are no mentions or DMs. Each request's Ed25519
//     signature is verified (401 for a missing or bad one, or a timestamp
//     more than MaxSignatureAge off); PING is answered with PONG. A
//     question whose answer is ready within DefaultAnswerBudget gets it as
//     the HTTP response itself; a slower one gets a deferred response and
//     its answer follows over the REST API. Nothing a request needs lives in
//     one replica's memory (a page button carries its query in its custom
//     ID), but the rate limits and work slots below are per replica.
//
// (*Bot).Ready says whether the bot can serve: in gateway mode while the
// gateway is connected, in HTTP mode always. Config.Observer is told how
// each question ended (an Outcome, the same value the user's message is made
// from), each feedback vote and each gateway reconnect.
//
// Given a Moderator, it also registers the moderators' commands (/reindex,
// /corpus add, remove and list): guild only, shown to members with Manage
// Server, and checked again on the bot's side (Manage Server, Administrator
// or one of Config.ModRoles), anyone else being refused and logged. A change
// to the corpus is deferred and ephemeral, edited with its progress and
// then its summary, runs one at a time with a deadline of its own
// (changeTimeout) and is cancelled when the bot shuts down; an upload is
// downloaded only from Discord's CDN (Config.CDN), within a timeout and the
// corpus's size limit.
//
// The contract with Discord, which the tests check against a fake Discord:
//   - every interaction gets its first response within Discord's 3 s: work
//     that calls the engine is deferred (type 5, or 6 for buttons that update
//     a message) and the original response is edited when the work is done
//     (over HTTP, work done within the budget is the response itself: type
//     4, or 7 for buttons);
//   - every message and response stays within Discord's limits (RenderAnswer
//     cuts at sentence, else word, boundaries with "…");
//   - every message and response sets allowed_mentions to parse nothing, and
//     all quoted corpus text and echoed user text is escaped for Markdown with
//     '@' defused, so nothing the bot sends can ping anyone;
//   - a panic in a handler is recovered where it is dispatched: the user gets
//     a short apology, the log gets the stack, the bot keeps running;
//   - each user may ask RateLimit questions (and turn RateLimit search
//     pages) per RatePer, and at most MaxConcurrent are worked on at once;
//     autocomplete has a per-user limit and a bound of its own
//     (AutocompleteLimit, MaxConcurrentAutocomplete), answering no choices
//     beyond them, so that typing never delays a question;
//   - a question is checked by answer.CheckQuestion before anything is
//     deferred: a refusal is told at once to its user alone, with one message
//     per reason.
//
// Computing a response (respond, returning a discordgo.InteractionResponse
// and the deferred work) is separate from sending it, so that the gateway
// sends it over the REST API and the HTTP endpoint writes it as its reply
// body. The handlers reach Discord's REST API through a small interface that
// a *discordgo.Session satisfies.
//
// Only this package imports discordgo.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/answer"
)

// Intents are the gateway intents the bot asks for: guilds, guild messages
// and direct messages. No privileged intent: a message that mentions the bot,
// and any message in a DM, carries its content without MESSAGE_CONTENT.
const Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// Answerer answers a question from the corpus.
type Answerer interface {
	Answer(ctx context.Context, question string) (answer.Answer, error)
}

// Searcher looks passages up without choosing an answer.
type Searcher interface {
	Search(ctx context.Context, query string, from, size int) (answer.Results, error)
}

// Library finds passages by ID, completes IDs and titles, and describes the
// corpus. All three are in-memory and fast.
type Library interface {
	Window(id string) (answer.Window, bool)
	Complete(prefix string, max int) []answer.Choice
	Info() answer.Info
}

// Engine is everything the bot needs from the answer engine.
type Engine interface {
	Answerer
	Searcher
	Library
}

// Config holds the bot's settings. Zero values take the defaults.
type Config struct {
	// GuildID, when set, registers the commands in that guild only, which
	// takes effect at once (for testing); else they are registered globally.
	GuildID string
	// RateLimit questions per RatePer for each user (default 5 per 30 s).
	RateLimit int
	RatePer   time.Duration
	// MaxConcurrent bounds the questions and search pages worked on at once
	// (default 8); beyond it users are told the bot is busy, and a user
	// asking by message is told once per RatePer.
	MaxConcurrent int
	// AutocompleteLimit autocomplete requests per AutocompletePer for each
	// user (default 20 per 10 s); beyond it the user gets no choices.
	AutocompleteLimit int
	AutocompletePer   time.Duration
	// MaxConcurrentAutocomplete bounds the autocomplete requests worked on at
	// once (default 4), apart from MaxConcurrent; beyond it a request gets no
	// choices at once rather than waiting.
	MaxConcurrentAutocomplete int
	// MaxQuestionLen bounds a question in characters (default 500, at most
	// answer.MaxQuestionLen): the commands' max_length, and the limit for
	// mentions, DMs and the message command, beyond which a question is
	// refused.
	MaxQuestionLen int
	// Timeout bounds the work for one question or search (default 30 s).
	Timeout time.Duration
	// PageSize is how many passages a /search page shows (default 5, at most 10).
	PageSize int

	// ModRoles are the IDs of roles whose members may use the moderators'
	// commands, besides members with Manage Server or Administrator.
	ModRoles []string
	// CDN are the origins ("https://cdn.discordapp.com") an uploaded file is
	// downloaded from, redirects included (default CDNOrigin and
	// MediaOrigin).
	CDN []string
	// FetchTimeout bounds the download of an uploaded file (default
	// DefaultFetchTimeout).
	FetchTimeout time.Duration

	// Observer is told each question's outcome, feedback votes and gateway
	// reconnects (nil: nobody).
	Observer Observer
	// ApplicationID is the application's ID, for registering the commands
	// in HTTP mode; when empty, RunHTTP asks Discord for it. The gateway's
	// READY gives it in gateway mode.
	ApplicationID string
	// ShardID and ShardCount, when ShardCount > 1, make the gateway
	// connection one shard of ShardCount (Discord requires sharding from
	// 2,500 guilds); each shard is a process of its own.
	ShardID, ShardCount int
}

// Defaults.
const (
	DefaultRateLimit     = 5
	DefaultRatePer       = 30 * time.Second
	DefaultMaxConcurrent = 8
	DefaultTimeout       = 30 * time.Second
	DefaultPageSize      = 5
)

// Defaults for autocomplete, which runs as the user types, a request every
// few key strokes: its limit is generous, and its own.
const (
	DefaultAutocompleteLimit         = 20
	DefaultAutocompletePer           = 10 * time.Second
	DefaultMaxConcurrentAutocomplete = 4
)

func (c Config) withDefaults() Config {
	if c.RateLimit <= 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.RatePer <= 0 {
		c.RatePer = DefaultRatePer
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = DefaultMaxConcurrent
	}
	if c.AutocompleteLimit <= 0 {
		c.AutocompleteLimit = DefaultAutocompleteLimit
	}
	if c.AutocompletePer <= 0 {
		c.AutocompletePer = DefaultAutocompletePer
	}
	if c.MaxConcurrentAutocomplete <= 0 {
		c.MaxConcurrentAutocomplete = DefaultMaxConcurrentAutocomplete
	}
	if c.MaxQuestionLen <= 0 {
		c.MaxQuestionLen = DefaultMaxQuestionLen
	}
	c.MaxQuestionLen = min(c.MaxQuestionLen, maxOptionLen, answer.MaxQuestionLen)
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	c.PageSize = min(c.PageSize, maxCitations)
	if len(c.CDN) == 0 {
		c.CDN = []string{CDNOrigin, MediaOrigin}
	}
	if c.FetchTimeout <= 0 {
		c.FetchTimeout = DefaultFetchTimeout
	}
	if c.Observer == nil {
		c.Observer = noObserver{}
	}
	return c
}

// sendTimeout bounds one call to Discord's REST API.
const sendTimeout = 15 * time.Second

// Log keys.
const (
	keyUser        = "user"
	keyGuild       = "guild"
	keyChannel     = "channel"
	keyCommand     = "cmd"
	keyInteraction = "interaction"
	keyMessage     = "message"
	keyErr         = "err"
	keyReason      = "reason"
	keyPanic       = "panic"
	keyStack       = "stack"
)

// ErrNoToken is returned by NewSession for an empty token.
var ErrNoToken = errors.New("no Discord bot token")

// ErrNoGateway is returned by Run for a bot whose session is not a
// *discordgo.Session, which has no gateway to connect.
var ErrNoGateway = errors.New("the bot's session has no gateway")

// NewSession returns a discordgo session for a bot token (with or without its
// "Bot " prefix) asking for the bot's intents. It does not connect.
func NewSession(token string) (*discordgo.Session, error) {
	token = strings.TrimSpace(token)
	token = strings.TrimSpace(strings.TrimPrefix(token, "Bot "))
	if token == "" {
		return nil, ErrNoToken
	}
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, fmt.Errorf("new discord session: %w", err)
	}
	s.Identify.Intents = Intents
	return s, nil
}

// Bot answers questions in Discord. Create it with New and call Run once.
type Bot struct {
	session rest
	engine  Engine
	// mod changes the corpus; nil when there are no moderators' commands.
	mod     Moderator
	fetcher *http.Client // downloads uploads from the CDN
	// changing holds the one change to the corpus from Discord at a time.
	changing chan struct{}
	log      *slog.Logger
	cfg      Config
	limiter  *rateLimiter
	slots    chan struct{}
	// busyTold allows one "busy" notice per user and RatePer to messages.
	busyTold *rateLimiter
	// completions limits autocomplete per user, completeSlots bounds it.
	completions   *rateLimiter
	completeSlots chan struct{}
	retry         backoff // between attempts to register the commands

	mu   sync.Mutex
	base context.Context // work derives its context from it
	// stopping is done once the bot shuts down: changes to the corpus are
	// cancelled then, where questions are let finish.
	stopping context.Context
	stop     context.CancelFunc
	closing  bool
	selfID   string // the bot's user ID, from READY
	appID    string // the application ID, from READY
	// roles maps a guild's ID to the bot's own role there, the managed role
	// Discord gives a bot when it joins, from GUILD_CREATE.
	roles map[string]string
	work  sync.WaitGroup

	connects int // gateway connections since Run started
	// connected is true while the gateway is connected; httpMode once the
	// bot serves the HTTP interactions endpoint (see Ready).
	connected, httpMode atomic.Bool
}

// New returns a bot that serves engine's answers through session: a
// *discordgo.Session, whose gateway Run connects; HTTP mode uses only its
// REST calls. When mod is not nil, the moderators' commands (/reindex,
// /corpus) are registered too and change the corpus through it.
func New(session rest, engine Engine, mod Moderator, logger *slog.Logger, cfg Config) *Bot {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	b := &Bot{
		session:  session,
		base:     context.Background(),
		engine:   engine,
		mod:      mod,
		fetcher:  newFetchClient(cfg.CDN),
		changing: make(chan struct{}, 1),
		log:      logger,
		cfg:      cfg,
		limiter:  newRateLimiter(cfg.RateLimit, cfg.RatePer, time.Now),
		slots:    make(chan struct{}, cfg.MaxConcurrent),

		busyTold:      newRateLimiter(1, cfg.RatePer, time.Now),
		completions:   newRateLimiter(cfg.AutocompleteLimit, cfg.AutocompletePer, time.Now),
		completeSlots: make(chan struct{}, cfg.MaxConcurrentAutocomplete),
		retry:         backoff{first: registerRetryFirst, max: registerRetryMax},
	}
	b.stopping, b.stop = context.WithCancel(b.base)
	return b
}

// Run connects to the gateway and serves until ctx is done. Once READY gives
// the application ID it registers the commands in the background, retrying
// with backoff while Discord refuses them; mentions and DMs are answered
// meanwhile. When ctx is done it stops taking new work, waits for the work
// in flight, closes the gateway and returns nil. It returns an error when it
// cannot connect.
func (b *Bot) Run(ctx context.Context) error {
	s, ok := b.session.(*discordgo.Session)
	if !ok {
		return ErrNoGateway
	}
	if err := b.shard(s); err != nil {
		return err
	}
	s.Identify.Intents = Intents
	routeDiscordgoLogs(b.log)
	// Handlers run on discordgo's reading goroutine and return at once: they
	// hand work to goroutines the Bot owns and waits for.
	s.SyncEvents = true

	ready := make(chan *discordgo.Ready, 1)
	remove := []func(){
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { b.onReady(r, ready) }),
		s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { b.onInteraction(ic) }),
		s.AddHandler(func(_ *discordgo.Session, mc *discordgo.MessageCreate) { b.onMessage(mc) }),
		s.AddHandler(func(_ *discordgo.Session, gc *discordgo.GuildCreate) { b.onGuild(gc.Guild) }),
		s.AddHandler(func(_ *discordgo.Session, gd *discordgo.GuildDelete) { b.forgetGuild(gd.Guild) }),
		s.AddHandler(func(*discordgo.Session, *discordgo.Connect) { b.onConnect() }),
		s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { b.connected.Store(false) }),
	}
	defer func() {
		for _, f := range remove {
			f()
		}
	}()

	b.mu.Lock()
	b.base = context.WithoutCancel(ctx)
	b.stopping, b.stop = context.WithCancel(b.base)
	b.closing = false
	b.connects = 0
	b.mu.Unlock()

	if err := s.Open(); err != nil {
		return fmt.Errorf("open discord gateway: %w", err)
	}
	var r *discordgo.Ready
	select {
	case r = <-ready:
	case <-ctx.Done():
		return b.shutdown()
	}
	appID := r.User.ID
	if r.Application != nil && r.Application.ID != "" {
		appID = r.Application.ID
	}
	b.log.Info("discord gateway connected", "bot", r.User.Username, "app", appID, "shard", s.ShardID, "shards", max(s.ShardCount, 1))
	var registering sync.WaitGroup
	registering.Go(func() { b.register(ctx, r.User.Username, appID) })

	<-ctx.Done()
	registering.Wait()
	return b.shutdown()
}

// onReady records who the bot is.
func (b *Bot) onReady(r *discordgo.Ready, ready chan<- *discordgo.Ready) {
	if r == nil || r.User == nil {
		return
	}
	b.mu.Lock()
	b.selfID = r.User.ID
	b.appID = r.User.ID
	if r.Application != nil && r.Application.ID != "" {
		b.appID = r.Application.ID
	}
	b.mu.Unlock()
	b.connected.Store(true)
	select {
	case ready <- r:
	default:
	}
}

// shutdown stops taking new work, waits for the work in flight and closes
// the gateway.
func (b *Bot) shutdown() error {
	b.drain()
	if s, ok := b.session.(*discordgo.Session); ok {
		if err := s.Close(); err != nil {
			b.log.Warn("close discord gateway", keyErr, err)
		}
	}
	b.log.Info("discord bot stopped")
	return nil
}

// drain stops taking new work and waits for the work in flight.
func (b *Bot) drain() {
	b.mu.Lock()
	b.closing = true
	stop := b.stop
	b.mu.Unlock()
	if stop != nil {
		stop() // changes to the corpus in flight are cancelled
	}
	b.work.Wait()
}

// spawn runs f in a goroutine the Bot waits for on shutdown. It returns false,
// without running f, once the bot is shutting down.
func (b *Bot) spawn(f func(ctx context.Context)) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing || b.base == nil {
		return false
	}
	ctx := b.base
	b.work.Add(1)
	go func() {
		defer b.work.Done()
		defer b.recoverPanic("goroutine")
		f(ctx)
	}()
	return true
}

// onGuild notes the bot's own role in a guild: the managed role its member
// holds. Users often mention that role, which has the bot's name, rather
// than the bot.
func (b *Bot) onGuild(g *discordgo.Guild) {
	self := b.self()
	if g == nil || g.Unavailable || self == "" {
		return
	}
	managed := map[string]bool{}
	for _, r := range g.Roles {
		if r != nil && r.Managed {
			managed[r.ID] = true
		}
	}
	role := ""
	for _, m := range g.Members {
		if m == nil || m.User == nil || m.User.ID != self {
			continue
		}
		for _, id := range m.Roles {
			if managed[id] {
				role = id
			}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.roles == nil {
		b.roles = map[string]string{}
	}
	if role == "" {
		delete(b.roles, g.ID)
	} else {
		b.roles[g.ID] = role
	}
}

// forgetGuild forgets a guild the bot left (not one that is only
// unavailable for a while).
func (b *Bot) forgetGuild(g *discordgo.Guild) {
	if g == nil || g.Unavailable {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.roles, g.ID)
}

// role is the bot's own role in a guild, or "".
func (b *Bot) role(guild string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.roles[guild]
}

// self returns the bot's user ID.
func (b *Bot) self() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.selfID
}

// recoverPanic logs a panic with its stack; use it deferred.
func (b *Bot) recoverPanic(where string, args ...any) {
	if p := recover(); p != nil {
		b.logPanic(where, p, args...)
	}
}

func (b *Bot) logPanic(where string, p any, args ...any) {
	args = append(args, keyPanic, fmt.Sprint(p), keyStack, string(debug.Stack()))
	b.log.Error("panic in "+where, args...)
}

// acquire takes a work slot, or reports that all are taken.
func (b *Bot) acquire() bool { return tryAcquire(b.slots) }

// tryAcquire takes one of slots without waiting, or reports that all are
// taken.
func tryAcquire(slots chan struct{}) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// noMentions is the allowed_mentions of every message: parse nothing.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// What users are told; the log gets the details.
const (
	msgApology     = "Sorry, something went wrong on my side. Please try again."
	msgBusy        = "I'm answering a lot of questions right now. Please try again in a moment."
	msgTimeout     = "That took too long. Please try again in a moment."
	msgEngineError = "Sorry, I couldn't look that up just now. Please try again."
	msgRateLimited = "You're asking faster than I can answer. Try again <t:%d:R>."
	msgNoQuestion  = "Ask me something about the story: `/ask question:` followed by your question."
	msgMentionHow  = "Ask me something about the story: mention me followed by your question, for example " +
		"“@storybot who signed the security pact?”, or use `/ask`."
	msgNoQuery   = "Tell me some words to look for: `/search query:` followed by the words."
	msgNoText    = "That message has no text to ask about."
	msgThanks    = "Thanks for the feedback!"
	msgUnknown   = "I don't know that command. Try `/about`."
	msgNoPassage = "I don't know a passage called “%s”. Start typing in the `id` option to choose one."
)

// workContext is the context for one question's work.
func (b *Bot) workContext(base context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(base, b.cfg.Timeout)
}

// engineMessage is what a user is told when the engine failed.
func engineMessage(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return msgTimeout
	}
	return msgEngineError
}

// checkQuestion cleans and checks a question (answer.CheckQuestion) before
// any work is deferred. When it is refused (ok false), o is how it ended and
// the refusal is logged as the user's doing, not as the bot's failure. how is
// the how-to for the way the question came.
func (b *Bot) checkQuestion(log *slog.Logger, raw, how string) (q string, o outcome, ok bool) {
	q, err := answer.CheckQuestion(raw, b.cfg.MaxQuestionLen)
	if err == nil {
		return q, outcome{}, true
	}
	if o, ok := b.refused(log, err, how); ok {
		return "", o, false
	}
	log.Error("check question", keyErr, err)
	return "", apology(), false
}

// refused logs a refused question and says how it ended; ok is false when
// err is not a refusal.
func (b *Bot) refused(log *slog.Logger, err error, how string) (o outcome, ok bool) {
	var r *answer.RefusedError
	if !errors.As(err, &r) {
		return outcome{}, false
	}
	log.Info("question refused", keyReason, r.Reason.String())
	return refusedOutcome(r, how), true
}

// answer asks the engine a checked question and renders its answer; how is
// the how-to for the way the question came. Slash commands, the message
// command, mentions and DMs all ask through it.
func (b *Bot) answer(ctx context.Context, log *slog.Logger, q, how string) outcome {
	a, err := b.engine.Answer(ctx, q)
	if o, ok := b.refused(log, err, how); ok {
		return o
	}
	if err != nil {
		log.Error("answer", keyErr, err)
		return failed(err)
	}
	e, comps := RenderAnswer(a, b.engine.Info())
	return shown(answered(a), e, comps)
}

// What a user is told when a question is refused, besides how to ask.
const (
	msgNoWords = "There are no words in that for me to look for."
	msgTooLong = "That's too long for me: please ask in at most %d characters."
	msgNotText = "I can't read that as text."
)

// refusal is what a user is told when a question is refused: one message per
// reason; how is the how-to for the way the question came.
func refusal(r *answer.RefusedError, how string) string {
	switch r.Reason {
	case answer.ReasonEmpty:
		return how
	case answer.ReasonNoWords:
		return msgNoWords + " " + how
	case answer.ReasonTooLong:
		return fmt.Sprintf(msgTooLong, r.Max)
	}
	return msgNotText
}

// rateLimited is what a user over the rate limit is told.
func rateLimited(retry time.Time) string {
	return fmt.Sprintf(msgRateLimited, retry.Unix()+1)
}
