package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/internal/fakediscord"
)

// IDs in the test payloads.
const (
	testGuild   = "500000000000000001"
	testChannel = "600000000000000001"
	testUser    = "700000000000000001"
	otherUser   = "700000000000000002"
	dmChannel   = "600000000000000099"
)

// harness runs a Bot with a real discordgo session against a fake Discord.
// The fake redirects discordgo's package-level endpoints, so tests using a
// harness must not call t.Parallel.
//
// Every method that can fail takes the calling test's t: a subtest passes its
// own, so that a failure stops the subtest, not its parent.
type harness struct {
	fake   *fakediscord.Server
	bot    *Bot
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
	stop   sync.Once
	// prepare, when set, is applied to each bot before it runs.
	prepare func(*Bot)
	// mod, when set, is the Moderator each bot is given.
	mod Moderator
}

// syncBuffer is a bytes.Buffer safe for concurrent writes by the logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs a bot until the test ends and waits until it has registered
// its commands.
func start(t *testing.T, eng Engine, cfg Config) *harness {
	t.Helper()
	h := newHarness(t)
	h.run(t, eng, cfg)
	return h
}

// newHarness starts a fake Discord for a bot that is not running yet.
func newHarness(t *testing.T) *harness {
	t.Helper()
	return &harness{fake: fakediscord.Start(t), logs: &syncBuffer{}}
}

// run starts (or restarts) the bot against the harness's fake Discord; the
// bot is shut down, at the latest, when t ends.
func (h *harness) run(t testing.TB, eng Engine, cfg Config) {
	t.Helper()
	s, err := NewSession("test-token")
	if err != nil {
		t.Fatal(err)
	}
	s.ShouldReconnectOnError = false
	logger := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.bot = New(s, eng, h.mod, logger, cfg)
	if h.prepare != nil {
		h.prepare(h.bot)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	h.stop = sync.Once{}
	n := len(h.commandPuts()) + 1
	go func() { h.done <- h.bot.Run(ctx) }()
	t.Cleanup(func() { h.shutdown(t) })
	path := "/applications/*/commands"
	if cfg.GuildID != "" {
		path = "/applications/*/guilds/*/commands"
	}
	h.fake.WaitRequest(t, "PUT", path, n)
}

func (h *harness) commandPuts() []fakediscord.Request {
	var out []fakediscord.Request
	for _, r := range h.fake.Requests() {
		if r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands") {
			out = append(out, r)
		}
	}
	return out
}

// shutdown stops the bot and checks that Run returned nil.
func (h *harness) shutdown(t testing.TB) {
	h.stop.Do(func() {
		h.cancel()
		select {
		case err := <-h.done:
			if err != nil {
				t.Errorf("Run returned %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("Run did not return after its context was cancelled")
		}
	})
}

var interactionSeq atomic.Int64

// interact dispatches an INTERACTION_CREATE and returns its ID and token.
func (h *harness) interact(t testing.TB, i map[string]any) (id, token string) {
	t.Helper()
	id, token = fillInteraction(i)
	h.fake.Dispatch(t, "INTERACTION_CREATE", i)
	return id, token
}

// fillInteraction gives an interaction payload a fresh ID and token, the
// application, and (unless it has them) the test channel and a member in the
// test guild.
func fillInteraction(i map[string]any) (id, token string) {
	n := interactionSeq.Add(1)
	id = fmt.Sprintf("8000000000000%05d", n)
	token = fmt.Sprintf("token-%d", n)
	i["id"], i["token"] = id, token
	i["application_id"] = fakediscord.AppID
	i["version"] = 1
	if _, ok := i["channel_id"]; !ok {
		i["channel_id"] = testChannel
	}
	if _, ok := i["user"]; !ok {
		if _, ok := i["member"]; !ok {
			i["guild_id"] = testGuild
			i["member"] = map[string]any{"user": map[string]any{"id": testUser, "username": "alice"}, "roles": []any{}}
		}
	}
	return id, token
}

// callback waits for the first response to interaction id and checks it.
func (h *harness) callback(t testing.TB, id, token string) sentResponse {
	t.Helper()
	r := h.fake.WaitRequest(t, "POST", "/interactions/"+id+"/"+token+"/callback", 1)
	checkBody(t, "create_interaction_response", r.Body)
	var resp sentResponse
	r.JSON(t, &resp)
	if resp.Type == 4 || resp.Type == 5 {
		checkMessage(t, r.Body, resp.Data)
	}
	return resp
}

// edit waits for the n-th edit of the original response to an interaction.
func (h *harness) edit(t testing.TB, token string, n int) sentMessage {
	t.Helper()
	return h.message(t, "PATCH", originalPath(token), "update_original_webhook_message", n)
}

// followup waits for the n-th follow-up message to an interaction.
func (h *harness) followup(t testing.TB, token string, n int) sentMessage {
	t.Helper()
	return h.message(t, "POST", webhookPath(token), "execute_webhook", n)
}

// sent waits for the n-th message posted to a channel.
func (h *harness) sent(t testing.TB, channel string, n int) sentMessage {
	t.Helper()
	return h.message(t, "POST", "/channels/"+channel+"/messages", "create_message", n)
}

// message waits for the n-th request with a method and path, checks its body
// against the API operation and Discord's limits, and decodes it.
func (h *harness) message(t testing.TB, method, path, operation string, n int) sentMessage {
	t.Helper()
	r := h.fake.WaitRequest(t, method, path, n)
	checkBody(t, operation, r.Body)
	var m sentMessage
	r.JSON(t, &m)
	checkMessage(t, r.Body, &m)
	return m
}

// webhookPath is the path of an interaction's webhook, for follow-ups.
func webhookPath(token string) string { return "/webhooks/" + fakediscord.AppID + "/" + token }

// originalPath is the path of an interaction's original response.
func originalPath(token string) string { return webhookPath(token) + "/messages/@original" }

// count counts the requests so far with a method and path pattern.
func (h *harness) count(method, pattern string) int {
	n := 0
	for _, r := range h.fake.Requests() {
		if r.Method == method && fakediscord.Match(pattern, r.Path) {
			n++
		}
	}
	return n
}

// Payload builders.

func slash(name string, options ...map[string]any) map[string]any {
	return map[string]any{
		"type": 2,
		"data": map[string]any{"id": "900000000000000001", "name": name, "type": 1, "options": options},
	}
}

func opt(name string, value any) map[string]any {
	typ := 3
	if _, ok := value.(bool); ok {
		typ = 5
	}
	return map[string]any{"name": name, "type": typ, "value": value}
}

func focused(name, value string) map[string]any {
	return map[string]any{"name": name, "type": 3, "value": value, "focused": true}
}

func autocompleteOf(name string, options ...map[string]any) map[string]any {
	i := slash(name, options...)
	i["type"] = 4
	return i
}

func button(customID string, msg *sentMessage) map[string]any {
	i := map[string]any{
		"type": 3,
		"data": map[string]any{"custom_id": customID, "component_type": 2},
	}
	m := map[string]any{"id": "310000000000000001", "channel_id": testChannel, "type": 0, "content": "", "author": map[string]any{"id": fakediscord.BotID, "username": fakediscord.BotName, "bot": true}}
	if msg != nil {
		m["embeds"] = msg.Embeds
		m["components"] = msg.Components
	}
	i["message"] = m
	return i
}

// withButtons is a message of the bot's with buttons of these custom IDs.
func withButtons(customIDs ...string) *sentMessage {
	var r sentRow
	r.Type = 1
	for _, id := range customIDs {
		r.Components = append(r.Components, sentButton{Type: 2, Label: id, Style: 2, CustomID: id})
	}
	return &sentMessage{Components: []sentRow{r}}
}

func messageCommand(content string) map[string]any {
	target := "320000000000000001"
	return map[string]any{
		"type": 2,
		"data": map[string]any{
			"id": "900000000000000005", "name": cmdAskStory, "type": 3, "target_id": target,
			"resolved": map[string]any{"messages": map[string]any{target: map[string]any{
				"id": target, "channel_id": testChannel, "content": content, "type": 0,
				"author": map[string]any{"id": otherUser, "username": "bob"},
			}}},
		},
	}
}

var messageSeq atomic.Int64

// chat builds a MESSAGE_CREATE; guild "" makes it a DM.
func chat(guild, channel, author string, bot bool, content string, mentions ...string) map[string]any {
	n := messageSeq.Add(1)
	m := map[string]any{
		"id": fmt.Sprintf("33000000000%07d", n), "channel_id": channel, "content": content, "type": 0,
		"author": map[string]any{"id": author, "username": "user" + author[len(author)-2:], "bot": bot},
	}
	if guild != "" {
		m["guild_id"] = guild
	}
	var ms []any
	for _, id := range mentions {
		ms = append(ms, map[string]any{"id": id, "username": "x"})
	}
	m["mentions"] = ms
	return m
}

// What the bot sent, decoded.

type sentResponse struct {
	Type int          `json:"type"`
	Data *sentMessage `json:"data"`
}

type sentMessage struct {
	Content         *string     `json:"content"`
	Embeds          []sentEmbed `json:"embeds"`
	Components      []sentRow   `json:"components"`
	Flags           int         `json:"flags"`
	AllowedMentions *struct {
		Parse       []string `json:"parse"`
		RepliedUser bool     `json:"replied_user"`
	} `json:"allowed_mentions"`
	Choices []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"choices"`
	MessageReference *struct {
		MessageID       string `json:"message_id"`
		ChannelID       string `json:"channel_id"`
		GuildID         string `json:"guild_id"`
		FailIfNotExists *bool  `json:"fail_if_not_exists"`
	} `json:"message_reference"`
}

type sentEmbed struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Color       int    `json:"color,omitempty"`
	Fields      []struct {
		Name   string `json:"name"`
		Value  string `json:"value"`
		Inline bool   `json:"inline,omitempty"`
	} `json:"fields,omitempty"`
	Footer *struct {
		Text string `json:"text"`
	} `json:"footer,omitempty"`
}

type sentRow struct {
	Type       int          `json:"type"`
	Components []sentButton `json:"components"`
}

type sentButton struct {
	Type     int    `json:"type"`
	Label    string `json:"label"`
	Style    int    `json:"style"`
	CustomID string `json:"custom_id"`
	Disabled bool   `json:"disabled"`
	Emoji    *struct {
		Name string `json:"name"`
	} `json:"emoji,omitempty"`
}

func (m sentMessage) text() string {
	if m.Content == nil {
		return ""
	}
	return *m.Content
}

// buttons lists the custom IDs of a message's buttons.
func (m sentMessage) buttons() []string {
	var ids []string
	for _, r := range m.Components {
		for _, c := range r.Components {
			ids = append(ids, c.CustomID)
		}
	}
	return ids
}

// checkBody checks a body against Discord's OpenAPI description.
func checkBody(t testing.TB, operation string, body []byte) {
	t.Helper()
	loadSpec(t).check(t, operation, body)
}

// pingable finds text that could mention someone: @everyone, @here, user,
// role and channel mentions.
var pingable = regexp.MustCompile(`@everyone|@here|<@!?&?\d+>|<#\d+>`)

// checkMessage checks what every message the bot sends must satisfy:
// allowed_mentions parsing nothing (present in the raw body), Discord's
// limits, nothing that could ping, custom IDs that fit.
func checkMessage(t testing.TB, raw []byte, m *sentMessage) {
	t.Helper()
	if m == nil {
		t.Errorf("message without data: %s", raw)
		return
	}
	if !bytes.Contains(raw, []byte(`"allowed_mentions":{"parse":[]`)) {
		t.Errorf(`body lacks "allowed_mentions":{"parse":[]}: %s`, raw)
	}
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 || m.AllowedMentions.RepliedUser {
		t.Errorf("allowed_mentions = %+v, want parse nothing", m.AllowedMentions)
	}
	if n := textLen(m.text()); n > maxContent {
		t.Errorf("content has %d characters", n)
	}
	if pingable.MatchString(m.text()) {
		t.Errorf("content can ping: %q", m.text())
	}
	if len(m.Embeds) > 10 {
		t.Errorf("%d embeds", len(m.Embeds))
	}
	total := 0
	for _, e := range m.Embeds {
		total += checkEmbed(t, e)
	}
	if total > maxEmbedTotal {
		t.Errorf("embeds total %d characters", total)
	}
	for _, id := range m.buttons() {
		if len(id) > maxCustomID || id == "" {
			t.Errorf("custom_id %q: %d bytes", id, len(id))
		}
	}
}

// checkEmbed checks one embed's limits and that its text cannot ping; it
// returns the embed's length.
func checkEmbed(t testing.TB, e sentEmbed) int {
	t.Helper()
	check := func(what, s string, max int) {
		if n := textLen(s); n > max {
			t.Errorf("embed %s has %d characters, max %d", what, n, max)
		}
		if pingable.MatchString(s) {
			t.Errorf("embed %s can ping: %q", what, s)
		}
		if strings.Contains(strings.ReplaceAll(s, `\<`, ""), "<@") {
			t.Errorf("embed %s has an unescaped <@: %q", what, s)
		}
	}
	total := textLen(e.Title) + textLen(e.Description)
	check("title", e.Title, maxTitle)
	check("description", e.Description, maxDescription)
	if len(e.Fields) > maxFields {
		t.Errorf("%d fields", len(e.Fields))
	}
	for _, f := range e.Fields {
		check("field name", f.Name, maxFieldName)
		check("field value", f.Value, maxFieldValue)
		if f.Name == "" || f.Value == "" {
			t.Errorf("empty field %+v", f)
		}
		total += textLen(f.Name) + textLen(f.Value)
	}
	if e.Footer != nil {
		check("footer", e.Footer.Text, maxFooter)
		total += textLen(e.Footer.Text)
	}
	if total > maxEmbedTotal {
		t.Errorf("embed has %d characters", total)
	}
	return total
}

// decodeJSON is json.Unmarshal that fails the test.
func decodeJSON(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
