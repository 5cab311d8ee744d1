package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kelseyhightower/envconfig"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// Config is read once from the environment (prefix STORYBOT_), whatever the
// command: a bad value is refused at start, even when the command at hand
// does not use it, so that a mistake shows on the first run and not when the
// bot is deployed. A "shown" tag is the default "storybot help" shows for a
// variable whose default is not a value.
type Config struct {
	Corpus        string        `envconfig:"CORPUS" shown:"embedded story" desc:"folder of .txt and .md documents to answer from (without it: DATA_DIR/corpus once a change made it)"`
	DataDir       string        `envconfig:"DATA_DIR" shown:"user cache folder" desc:"folder for the indexes, the change log and the corpus changes make"`
	DiscordToken  string        `envconfig:"DISCORD_TOKEN" desc:"Discord bot token, for serve (DISCORD_TOKEN is read too)"`
	GuildID       string        `envconfig:"GUILD_ID" desc:"register commands in this guild only (instant; for testing)"`
	RateLimit     int           `envconfig:"RATE_LIMIT" default:"5" desc:"questions a user may ask per RATE_WINDOW (1 or more)"`
	RateWindow    time.Duration `envconfig:"RATE_WINDOW" default:"30s" desc:"window of the per-user rate limit (a duration above 0)"`
	MaxConcurrent int           `envconfig:"MAX_CONCURRENT" default:"8" desc:"questions answered at once (1 or more)"`
	LogLevel      string        `envconfig:"LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	LogFormat     string        `envconfig:"LOG_FORMAT" default:"text" desc:"text or json (one object a line)"`
	Mode          string        `envconfig:"MODE" default:"gateway" desc:"how serve reaches Discord: gateway (one process) or http (interactions endpoint)"`
	HTTPAddr      string        `envconfig:"HTTP_ADDR" shown:"off; required in http mode" desc:"address of /healthz, /readyz, /metrics (and /interactions in http mode), such as :8080"`
	PublicKey     string        `envconfig:"PUBLIC_KEY" desc:"the application's public key, 64 hex digits (http mode)"`
	ApplicationID string        `envconfig:"APPLICATION_ID" shown:"asked of Discord" desc:"the application's ID, for registering commands in http mode"`
	ShardID       int           `envconfig:"SHARD_ID" default:"0" desc:"this process's gateway shard, 0 to SHARD_COUNT-1"`
	ShardCount    int           `envconfig:"SHARD_COUNT" default:"1" desc:"gateway shards in all (1 or more; Discord requires sharding from 2,500 servers)"`
	ModRoles      []string      `envconfig:"MOD_ROLES" desc:"IDs of roles that may change the corpus from Discord, comma-separated (besides Manage Server)"`
}

// envPrefix is the prefix of every environment variable storybot reads.
const envPrefix = "storybot"

// readConfig reads the environment into a Config and checks its values. A
// value that does not parse, or makes no sense, is a usage error naming the
// variable and what it accepts.
func readConfig() (Config, error) {
	var cfg Config
	if err := envconfig.Process(envPrefix, &cfg); err != nil {
		var pe *envconfig.ParseError
		if errors.As(err, &pe) {
			return cfg, usagef("%s=%q: want %s", pe.KeyName, pe.Value, accepts(pe.KeyName, pe.TypeName))
		}
		return cfg, usagef("read environment: %v", err)
	}
	if cfg.DiscordToken == "" {
		cfg.DiscordToken = os.Getenv("DISCORD_TOKEN")
	}
	var level slog.Level
	bad := func(key string, v any) error { return usagef("%s=%q: want %s", key, fmt.Sprint(v), accepts(key, "")) }
	switch {
	case cfg.RateLimit < 1:
		return cfg, bad("STORYBOT_RATE_LIMIT", cfg.RateLimit)
	case cfg.RateWindow <= 0:
		return cfg, bad("STORYBOT_RATE_WINDOW", cfg.RateWindow)
	case cfg.MaxConcurrent < 1:
		return cfg, bad("STORYBOT_MAX_CONCURRENT", cfg.MaxConcurrent)
	case level.UnmarshalText([]byte(cfg.LogLevel)) != nil:
		return cfg, bad("STORYBOT_LOG_LEVEL", cfg.LogLevel)
	case cfg.LogFormat != logText && cfg.LogFormat != logJSON:
		return cfg, bad("STORYBOT_LOG_FORMAT", cfg.LogFormat)
	case cfg.Mode != modeGateway && cfg.Mode != modeHTTP:
		return cfg, bad("STORYBOT_MODE", cfg.Mode)
	case cfg.ShardCount < 1:
		return cfg, bad("STORYBOT_SHARD_COUNT", cfg.ShardCount)
	case cfg.ShardID < 0 || cfg.ShardID >= cfg.ShardCount:
		return cfg, usagef("STORYBOT_SHARD_ID=\"%d\": want 0 to %d (below STORYBOT_SHARD_COUNT=%d)", cfg.ShardID, cfg.ShardCount-1, cfg.ShardCount)
	}
	if cfg.PublicKey != "" {
		if _, err := parsePublicKey(cfg.PublicKey); err != nil {
			return cfg, err
		}
	}
	for i, id := range cfg.ModRoles {
		cfg.ModRoles[i] = strings.TrimSpace(id)
		if !isSnowflake(cfg.ModRoles[i]) {
			return cfg, bad("STORYBOT_MOD_ROLES", os.Getenv("STORYBOT_MOD_ROLES"))
		}
	}
	return cfg, nil
}

// Discord IDs (snowflakes) are numbers of minSnowflake to maxSnowflake digits.
const (
	minSnowflake = 17
	maxSnowflake = 20
)

// isSnowflake says whether s is a Discord ID.
func isSnowflake(s string) bool {
	if len(s) < minSnowflake || len(s) > maxSnowflake {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// accepts says what the variable key, of the Go type typeName, accepts.
func accepts(key, typeName string) string {
	switch key {
	case "STORYBOT_RATE_LIMIT", "STORYBOT_MAX_CONCURRENT":
		return "a whole number, 1 or more"
	case "STORYBOT_RATE_WINDOW":
		return "a duration above 0, such as 30s or 2m"
	case "STORYBOT_LOG_LEVEL":
		return "debug, info, warn or error"
	case "STORYBOT_LOG_FORMAT":
		return "text or json"
	case "STORYBOT_MODE":
		return "gateway or http"
	case "STORYBOT_SHARD_COUNT":
		return "a whole number, 1 or more"
	case "STORYBOT_SHARD_ID":
		return "a whole number, 0 or more, below STORYBOT_SHARD_COUNT"
	case "STORYBOT_MOD_ROLES":
		return "role IDs (numbers of 17 to 20 digits) separated by commas"
	}
	switch typeName {
	case "int":
		return "a whole number"
	case "time.Duration":
		return "a duration, such as 30s or 2m"
	case "bool":
		return "true or false"
	}
	return "a value of type " + typeName
}

// usageError is a mistake in how storybot was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// commands lists each command with the arguments it takes and what it does,
// for "storybot help" and for each command's -h.
var commands = []struct{ name, args, about string }{
	{"ask", "[--json] [--top N] [--corpus DIR] [--data-dir DIR] [QUESTION...]",
		"answer a question; with no QUESTION, one a line from standard input"},
	{"index", "[--dry-run] [--corpus DIR] [--data-dir DIR]",
		"rebuild the index from the corpus, and say which documents changed"},
	{"eval", "[-v] [--min-evidence X] [--corpus DIR] [--data-dir DIR] QUESTIONS.jsonl",
		"measure answer quality on a question set"},
	{"serve", "[--http] [--corpus DIR] [--data-dir DIR]",
		"run the Discord bot; needs STORYBOT_DISCORD_TOKEN (or DISCORD_TOKEN)"},
	{"healthcheck", "[--addr ADDR]", "exit 0 when the serve at ADDR (default STORYBOT_HTTP_ADDR) answers /healthz"},
	{"version", "", "print storybot's version"},
	{"help", "", "show this help and the environment storybot reads"},
}

// exitStatus is the part of the help that says what the exit status means.
const exitStatus = `exit status:
  0  done
  1  a failure, named in the message (a missing corpus folder, an unreadable index, …)
  2  a usage error: an unknown command or flag, a bad argument (--top 0, an extra
     argument), a bad environment value, or a question refused (empty, no words to
     look for, too long, not UTF-8; in a batch, when any question was refused)
`

// writeHelp writes the commands, their flags, the exit statuses and the
// environment, aligned.
func writeHelp(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "usage: storybot <command> [flags] [arguments]")
	fmt.Fprintln(tw, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\n      %s\n", strings.TrimSpace(c.name+" "+c.args), c.about)
	}
	fmt.Fprintln(tw, "\nFlags may come before or after the arguments; \"storybot COMMAND -h\" explains them.")
	fmt.Fprint(tw, "\n", exitStatus)
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeEnvironment(w)
}

// writeEnvironment writes the table of the environment variables storybot
// reads, with their defaults, aligned.
func writeEnvironment(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nenvironment (read and checked at start, whatever the command; flags override it):")
	fmt.Fprintln(tw, "  VARIABLE\tDEFAULT\tMEANING")
	const row = "{{range .}}  {{usage_key .}}\t{{or (usage_default .) (.Tags.Get \"shown\") \"-\"}}\t{{usage_description .}}\n{{end}}"
	if err := envconfig.Usagef(envPrefix, &Config{}, tw, row); err != nil {
		return err
	}
	return tw.Flush()
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		writeHelp(stderr)
		return usagef("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		return writeHelp(stdout)
	case "version":
		// Whatever the environment holds, like help.
		return runVersion(rest, stdout, stderr)
	}
	cfg, err := readConfig()
	if err != nil {
		return err
	}
	logger := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	index.RouteLogs(logger.Handler())
	logger = logger.With("cmd", cmd)
	switch cmd {
	case "ask":
		return runAsk(ctx, cfg, logger, rest, stdin, stdout, stderr)
	case "index":
		return runIndex(ctx, cfg, logger, rest, stdout, stderr)
	case "eval":
		return runEval(ctx, cfg, logger, rest, stdout, stderr)
	case "serve":
		return runServe(ctx, cfg, logger, rest, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, cfg, rest, stdout, stderr)
	default:
		return usagef("unknown command %q; \"storybot help\" lists them", cmd)
	}
}

// sourceFlags are the flags every command that loads the corpus takes.
type sourceFlags struct {
	corpus  string
	dataDir string
}

func (s *sourceFlags) register(fs *flag.FlagSet, cfg Config) {
	fs.StringVar(&s.corpus, "corpus", cfg.Corpus, "folder of .txt and .md documents (default: the data folder's corpus folder if a change made one, else the embedded story)")
	fs.StringVar(&s.dataDir, "data-dir", cfg.DataDir, "folder for the index (default: the user's cache folder)")
}

// newFlagSet returns the FlagSet of the named command (one of commands),
// whose -h writes the command's usage line and flags to w.
func newFlagSet(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		for _, c := range commands {
			if c.name == name {
				fmt.Fprintf(w, "usage: storybot %s %s\n%s.\n\nflags:\n", c.name, c.args, capitalize(c.about))
			}
		}
		fs.PrintDefaults()
		if name == "serve" {
			// serve is what an operator configures: every setting, here too.
			writeEnvironment(w)
		}
	}
	return fs
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// parse parses a command's flags, which may stand before, between or after
// its arguments ("--" ends them), and returns the arguments. -h writes the
// command's usage and returns errHelp; a bad flag is a usage error, reported
// once by the caller (the flag package's own report is silenced).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	defer func() { fs.Usage = usage; fs.SetOutput(out) }()
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(out)
			usage()
			return nil, errHelp
		}
		if err != nil {
			return nil, usagef("%s: %v (see \"storybot %s -h\")", fs.Name(), err, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

var errHelp = errors.New("help requested")

// loadCorpus reads the corpus the flags and environment configure (when
// none, the data folder's corpus folder if a change seeded one, else the
// embedded story: corpus.Locate decides), logging the files it skipped. The
// files that have not changed since the index in service was built are cut
// as they were then, not parsed again (index.OpenCorpus).
func loadCorpus(s sourceFlags, logger *slog.Logger) (*corpus.Corpus, error) {
	dir, err := dataDir(s)
	if err != nil {
		return nil, err
	}
	c, err := index.OpenCorpus(dir, corpus.Locate(s.corpus, dir))
	if err != nil {
		return nil, err // the corpus's error says what it was loading
	}
	for _, sk := range c.Skipped {
		logger.Warn("skipped corpus file", "file", sk.Path, "reason", sk.Reason)
	}
	logger.Debug("read corpus", "documents", len(c.Documents), "reused", c.Reused())
	return c, nil
}

func dataDir(s sourceFlags) (string, error) {
	if s.dataDir != "" {
		return s.dataDir, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "storybot-cache"), nil
	}
	return filepath.Join(dir, "storybot"), nil
}

// openEngine loads the corpus, opens (or builds) its index and returns an
// answer engine over both. The caller closes it.
func openEngine(ctx context.Context, s sourceFlags, opts answer.Options, logger *slog.Logger) (*answer.Engine, error) {
	c, err := loadCorpus(s, logger)
	if err != nil {
		return nil, err
	}
	dir, err := dataDir(s)
	if err != nil {
		return nil, err
	}
	return answer.Open(ctx, c, dir, logger, opts)
}
