package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	neturl "net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/answer/live"
	"github.com/storybot/storybot/bot/internal/fakediscord"
	"github.com/storybot/storybot/corpus"
)

// The live library is what the moderators' commands change.
var (
	_ Moderator = (*live.Library)(nil)
	_ Engine    = (*live.Library)(nil)
)

// Documents of the moderated test corpora, each answering questions the
// others do not.
const (
	orchardDoc = "# The Orchard\n\nThe old orchard stood on the hill above the mill. The miller, a stern man called Hobb, chased the children away with a broom.\n"
	harbourDoc = "# The Harbour\n\nThe harbour master was a woman named Ysolde Brannock. She rang the fog bell every night at nine.\n"
	harbourQ   = "Who rang the fog bell every night?"
	orchardQ   = "Who chased the children away with a broom?"
	modRole    = "510000000000000001"
)

// moderated is a bot whose Moderator is a real library over a corpus folder
// in a temporary folder.
type moderated struct {
	*harness
	lib    *live.Library
	folder string
}

// startModerated runs a bot over a live library of a corpus folder holding
// the lighthouse story and the orchard; cfg's CDN is the fake's unless set.
func startModerated(t *testing.T, cfg Config) *moderated {
	t.Helper()
	folder := t.TempDir()
	story, err := os.ReadFile("testdata/corpus/lighthouse.txt")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, folder, "lighthouse.txt", string(story))
	writeFile(t, folder, "orchard.md", orchardDoc)
	lib, err := live.Open(context.Background(), live.Config{CorpusDir: folder, DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := lib.Close(); err != nil {
			t.Error(err)
		}
	})
	h := newHarness(t)
	h.mod = lib
	if cfg.CDN == nil {
		cfg.CDN = []string{h.fake.CDNOrigin()}
	}
	h.run(t, lib, cfg)
	return &moderated{harness: h, lib: lib, folder: folder}
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// folderFiles reads every file of a folder, by name.
func folderFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// asMember makes an interaction come from a guild member with a permission
// bit set and roles.
func asMember(i map[string]any, user, permissions string, roles ...string) map[string]any {
	rs := []any{}
	for _, r := range roles {
		rs = append(rs, r)
	}
	i["guild_id"] = testGuild
	i["member"] = map[string]any{
		"user":        map[string]any{"id": user, "username": "mod" + user[len(user)-2:]},
		"roles":       rs,
		"permissions": permissions,
	}
	return i
}

// asModerator makes an interaction come from a member with Manage Server.
func asModerator(i map[string]any) map[string]any { return asMember(i, testUser, "32") }

// corpusCmd is /corpus with a subcommand and its options.
func corpusCmd(sub string, options ...map[string]any) map[string]any {
	if options == nil {
		options = []map[string]any{}
	}
	return slash(cmdCorpus, map[string]any{"name": sub, "type": 1, "options": options})
}

// uploadCmd is /corpus add with an attachment of a file name, a URL and a
// size, and replace when set.
func uploadCmd(filename, url string, size int, replace ...bool) map[string]any {
	const id = "120000000000000001"
	opts := []map[string]any{{"name": optFile, "type": 11, "value": id}}
	if len(replace) > 0 {
		opts = append(opts, opt(optReplace, replace[0]))
	}
	i := corpusCmd(subAdd, opts...)
	i["data"].(map[string]any)["resolved"] = map[string]any{"attachments": map[string]any{id: map[string]any{
		"id": id, "filename": filename, "url": url, "proxy_url": url, "size": size, "content_type": "text/plain; charset=utf-8",
	}}}
	return i
}

// upload serves a file on the fake's CDN and asks a moderator's /corpus add
// for it.
func (m *moderated) upload(t testing.TB, name, text string, replace ...bool) (id, token, url string) {
	t.Helper()
	url = m.fake.Attach(fakediscord.Attachment{Name: name, Data: []byte(text)})
	id, token = m.interact(t, asModerator(uploadCmd(name, url, len(text), replace...)))
	return id, token, url
}

// finalEdit waits for the edit of an interaction's original response whose
// content holds want, checks it as every message is checked and returns its
// content.
func (h *harness) finalEdit(t testing.TB, token, want string) string {
	t.Helper()
	var found fakediscord.Request
	h.fake.WaitFor(t, "an edit of "+token+" saying "+want, 20*time.Second, func(reqs []fakediscord.Request) bool {
		for _, r := range reqs {
			if r.Method == "PATCH" && r.Path == originalPath(token) && bytes.Contains(r.Body, []byte(jsonText(want))) {
				found = r
				return true
			}
		}
		return false
	})
	checkBody(t, "update_original_webhook_message", found.Body)
	var msg sentMessage
	found.JSON(t, &msg)
	checkMessage(t, found.Body, &msg)
	return msg.text()
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// lastEdit is the content of the last edit of an interaction's original
// response so far.
func (h *harness) lastEdit(t testing.TB, token string) string {
	t.Helper()
	var last *fakediscord.Request
	for _, r := range h.fake.Requests() {
		if r.Method == "PATCH" && r.Path == originalPath(token) {
			last = &r
		}
	}
	if last == nil {
		t.Fatalf("no edit of %s", token)
	}
	var msg sentMessage
	last.JSON(t, &msg)
	return msg.text()
}

// ask asks /ask and returns the answer's description.
func (h *harness) ask(t testing.TB, q string) string {
	t.Helper()
	id, token := h.interact(t, slash(cmdAsk, opt(optQuestion, q)))
	h.callback(t, id, token)
	m := h.edit(t, token, 1)
	if len(m.Embeds) != 1 {
		t.Fatalf("/ask %q: %+v", q, m)
	}
	return m.Embeds[0].Description
}

// ephemeralText checks that a first response is an ephemeral text now and
// returns it.
func ephemeralText(t testing.TB, r sentResponse) string {
	t.Helper()
	if r.Type != 4 || r.Data == nil || r.Data.Flags&64 == 0 {
		t.Fatalf("response %+v, want an ephemeral message", r)
	}
	return r.Data.text()
}

// deferredEphemeral checks that a first response defers an ephemeral reply.
func deferredEphemeral(t testing.TB, r sentResponse) {
	t.Helper()
	if r.Type != 5 || r.Data == nil || r.Data.Flags&64 == 0 {
		t.Fatalf("response %+v, want a deferred ephemeral reply", r)
	}
}

func TestModeratorCommandsRegistered(t *testing.T) {
	m := startModerated(t, Config{GuildID: testGuild})
	puts := m.commandPuts()
	checkBody(t, "bulk_set_guild_application_commands", puts[0].Body)
	var cmds []struct {
		Name        string  `json:"name"`
		Permissions *string `json:"default_member_permissions"`
		DM          *bool   `json:"dm_permission"`
		Contexts    []int   `json:"contexts"`
		Options     []struct {
			Name    string `json:"name"`
			Type    int    `json:"type"`
			Options []struct {
				Name         string `json:"name"`
				Type         int    `json:"type"`
				Required     bool   `json:"required"`
				Autocomplete bool   `json:"autocomplete"`
			} `json:"options"`
		} `json:"options"`
	}
	puts[0].JSON(t, &cmds)
	shape := map[string]string{}
	for _, c := range cmds {
		if c.Name != cmdReindex && c.Name != cmdCorpus {
			if c.Permissions != nil {
				t.Errorf("/%s carries default_member_permissions %s", c.Name, *c.Permissions)
			}
			continue
		}
		if c.Permissions == nil || *c.Permissions != "32" || c.DM == nil || *c.DM || !slices.Equal(c.Contexts, []int{0}) {
			t.Errorf("/%s: default_member_permissions %v, dm_permission %v, contexts %v; want \"32\", false, [0]", c.Name, c.Permissions, c.DM, c.Contexts)
		}
		var parts []string
		for _, o := range c.Options {
			p := fmt.Sprintf("%s:%d", o.Name, o.Type)
			for _, so := range o.Options {
				p += fmt.Sprintf(" %s:%d", so.Name, so.Type)
				if so.Required {
					p += "!"
				}
				if so.Autocomplete {
					p += "*"
				}
			}
			parts = append(parts, p)
		}
		shape[c.Name] = strings.Join(parts, ", ")
	}
	want := map[string]string{
		cmdReindex: "dry-run:5",
		// Types: 1 subcommand, 11 attachment, 5 boolean, 3 string; ! is
		// required, * autocomplete.
		cmdCorpus: "add:1 file:11! replace:5, remove:1 document:3!*, list:1",
	}
	for name, w := range want {
		if shape[name] != w {
			t.Errorf("/%s options %q, want %q", name, shape[name], w)
		}
	}
}

func TestModeratorCommandsRefused(t *testing.T) {
	m := startModerated(t, Config{ModRoles: []string{modRole}})
	before := folderFiles(t, m.folder)
	url := m.fake.Attach(fakediscord.Attachment{Name: "harbour.md", Data: []byte(harbourDoc)})
	commands := map[string]map[string]any{
		"reindex":   slash(cmdReindex),
		"dry run":   slash(cmdReindex, opt(optDryRun, true)),
		"add":       uploadCmd("harbour.md", url, len(harbourDoc)),
		"remove":    corpusCmd(subRemove, opt(optDocument, "orchard")),
		"list":      corpusCmd(subList),
		"no option": corpusCmd("purge"),
	}
	who := map[string]func(map[string]any) map[string]any{
		"member without permissions": func(i map[string]any) map[string]any { return asMember(i, otherUser, "0") },
		"member with other roles": func(i map[string]any) map[string]any {
			return asMember(i, otherUser, "2048", "510000000000000009")
		},
		"member of another guild's mod role": func(i map[string]any) map[string]any {
			return asMember(i, otherUser, "1024", "5100000000000000011") // a longer ID holding modRole
		},
		"in a DM": func(i map[string]any) map[string]any {
			i["user"] = map[string]any{"id": otherUser, "username": "bob"}
			return i
		},
	}
	for wname, as := range who {
		for cname, cmd := range commands {
			t.Run(wname+"/"+cname, func(t *testing.T) {
				// A fresh payload each time: interact fills it in.
				raw, _ := json.Marshal(cmd)
				var i map[string]any
				decodeJSON(t, raw, &i)
				id, token := m.interact(t, as(i))
				if got := ephemeralText(t, m.callback(t, id, token)); got != msgNotModerator {
					t.Errorf("told %q, want %q", got, msgNotModerator)
				}
				if !strings.Contains(m.logs.String(), `"interaction":"`+id+`"`) {
					t.Errorf("refusal not logged")
				}
			})
		}
	}
	// Every refusal is logged with the user and the command.
	refusals := 0
	for _, line := range strings.Split(m.logs.String(), "\n") {
		if strings.Contains(line, "moderator command refused") {
			refusals++
			if !strings.Contains(line, `"user":"`+otherUser+`"`) || !strings.Contains(line, `"cmd":"`) {
				t.Errorf("refusal logged without the user or command: %s", line)
			}
		}
	}
	if want := len(who) * len(commands); refusals != want {
		t.Errorf("%d refusals logged, want %d", refusals, want)
	}
	if n := m.fake.Downloads(url); n != 0 {
		t.Errorf("a refused upload was downloaded %d times", n)
	}
	if after := folderFiles(t, m.folder); !maps.Equal(before, after) {
		t.Errorf("corpus folder changed by refused commands: %v", after)
	}
	// Nor are the documents offered to them.
	id, token := m.interact(t, asMember(autocompleteOf(cmdCorpus, map[string]any{
		"name": subRemove, "type": 1, "options": []any{focused(optDocument, "or")},
	}), otherUser, "0"))
	if r := m.callback(t, id, token); r.Type != 8 || len(r.Data.Choices) != 0 {
		t.Errorf("autocomplete for a non-moderator: %+v", r)
	}
}

func TestModeratorByRoleOrPermission(t *testing.T) {
	m := startModerated(t, Config{ModRoles: []string{"510000000000000007", modRole}})
	for name, as := range map[string]func(map[string]any) map[string]any{
		"mod role only": func(i map[string]any) map[string]any {
			return asMember(i, otherUser, "0", "510000000000000003", modRole)
		},
		"manage server": func(i map[string]any) map[string]any { return asMember(i, otherUser, "32") },
		"administrator": func(i map[string]any) map[string]any { return asMember(i, otherUser, "8") },
	} {
		t.Run(name, func(t *testing.T) {
			id, token := m.interact(t, as(corpusCmd(subList)))
			r := m.callback(t, id, token)
			if r.Type != 4 || r.Data.Flags&64 == 0 || len(r.Data.Embeds) != 1 {
				t.Fatalf("/corpus list: %+v", r)
			}
			if d := r.Data.Embeds[0].Description; !strings.Contains(d, "The Orchard") {
				t.Errorf("list: %q", d)
			}
		})
	}
}

func TestUploadAnsweredAtOnce(t *testing.T) {
	m := startModerated(t, Config{})
	if d := m.ask(t, harbourQ); !strings.Contains(d, notFoundLine) {
		t.Fatalf("answered before the upload: %q", d)
	}
	id, token, url := m.upload(t, "harbour.md", harbourDoc)
	deferredEphemeral(t, m.callback(t, id, token))
	got := m.finalEdit(t, token, "Questions are answered from it now")
	if !strings.Contains(got, "“harbour”") || !strings.Contains(got, "Added harbour.md") {
		t.Errorf("summary %q, want the document's ID", got)
	}
	if m.fake.Downloads(url) != 1 {
		t.Errorf("downloaded %d times", m.fake.Downloads(url))
	}
	if d := m.ask(t, harbourQ); !strings.Contains(d, "Ysolde") {
		t.Errorf("not answered from the upload at once: %q", d)
	}
	if got := folderFiles(t, m.folder)["harbour.md"]; got != harbourDoc {
		t.Errorf("corpus folder holds %q", got)
	}
	// The change is the last one /about shows.
	id, token = m.interact(t, slash(cmdAbout))
	about := m.callback(t, id, token).Data.Embeds[0].Description
	if !strings.Contains(about, "**Last change:** add harbour.md by mod01") || !strings.Contains(about, ": done") {
		t.Errorf("/about: %q", about)
	}
	if !strings.Contains(about, escapeMarkdown(m.folder, false)) {
		t.Errorf("/about does not name the folder %s: %q", m.folder, about)
	}

	// Replacing it needs replace:True.
	newer := strings.Replace(harbourDoc, "Ysolde Brannock", "Wenna Trask", 1)
	id, token, _ = m.upload(t, "harbour.md", newer)
	deferredEphemeral(t, m.callback(t, id, token))
	if got := m.finalEdit(t, token, "Nothing was changed"); !strings.Contains(got, "replace:True") {
		t.Errorf("overwrite without replace: %q", got)
	}
	if got := folderFiles(t, m.folder)["harbour.md"]; got != harbourDoc {
		t.Errorf("overwritten without replace: %q", got)
	}
	id, token, _ = m.upload(t, "harbour.md", newer, true)
	deferredEphemeral(t, m.callback(t, id, token))
	if got := m.finalEdit(t, token, "Questions are answered from it now"); !strings.HasPrefix(got, "Replaced") {
		t.Errorf("replace: %q", got)
	}
	if d := m.ask(t, harbourQ); !strings.Contains(d, "Wenna") {
		t.Errorf("not answered from the replacement: %q", d)
	}
}

func TestUploadRefused(t *testing.T) {
	m := startModerated(t, Config{})
	before := folderFiles(t, m.folder)
	huge := strings.Repeat("a", corpus.MaxFileSize+1)
	tests := []struct {
		name, file, text string
		size             int // the attachment's announced size; -1: the text's
		want             string
		downloaded       bool
	}{
		{"path separator", "../escape.md", harbourDoc, -1, "holds a path separator", false},
		{"backslash", `..\escape.md`, harbourDoc, -1, "holds a path separator", false},
		{"dot dot", "..", harbourDoc, -1, `"." or ".."`, false},
		{"leading dot", ".harbour.md", harbourDoc, -1, "hidden file", false},
		{"control character", "harbour\x07.md", harbourDoc, -1, "holds a control character", false},
		{"other extension", "harbour.pdf", harbourDoc, -1, "only .txt and .md files", false},
		{"no extension", "harbour", harbourDoc, -1, "only .txt and .md files", false},
		{"announced oversized", "big.txt", "small", corpus.MaxFileSize + 1, "over the corpus's size limit of 16 MiB", false},
		{"oversized", "big.txt", huge, 100, "over the corpus's size limit of 16 MiB", true},
		{"not UTF-8", "latin1.txt", "The harbour master was Ysolde Br\xe4nnock.\n", -1, "isn't UTF-8 text", true},
		{"binary", "harbour.txt", "The harbour\x00\x01\x02 master\n", -1, "holds NUL bytes", true},
		{"UTF-16", "harbour.txt", "\xff\xfeT\x00h\x00e\x00", -1, "UTF-16", true},
		{"existing without replace", "orchard.md", harbourDoc, -1, "replace:True", true},
		{"no text", "blank.md", "\n\n   \n", -1, "Nothing was changed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := m.fake.Attach(fakediscord.Attachment{Name: "upload.txt", Data: []byte(tt.text)})
			size := tt.size
			if size < 0 {
				size = len(tt.text)
			}
			id, token := m.interact(t, asModerator(uploadCmd(tt.file, url, size)))
			r := m.callback(t, id, token)
			var got string
			if tt.downloaded {
				deferredEphemeral(t, r)
				got = m.finalEdit(t, token, "Nothing was changed")
			} else {
				got = ephemeralText(t, r)
			}
			if !strings.HasPrefix(got, msgFailedPrefix) || !strings.Contains(got, tt.want) {
				t.Errorf("told %q, want it to say %q", got, tt.want)
			}
			if n := m.fake.Downloads(url); (n > 0) != tt.downloaded || n > 1 {
				t.Errorf("downloaded %d times", n)
			}
			if after := folderFiles(t, m.folder); !maps.Equal(before, after) {
				t.Errorf("corpus folder changed: %d files", len(after))
			}
		})
	}
	if d := m.ask(t, orchardQ); !strings.Contains(d, "Hobb") {
		t.Errorf("the corpus no longer answers: %q", d)
	}
}

func TestUploadDownloadFails(t *testing.T) {
	m := startModerated(t, Config{FetchTimeout: 2 * time.Second})
	before := folderFiles(t, m.folder)
	elsewhere := m.fake.Attach(fakediscord.Attachment{Name: "harbour.md", Data: []byte(harbourDoc)})
	tests := []struct {
		name string
		a    fakediscord.Attachment
		url  string // the attachment's URL when not the fake's CDN
		want string
	}{
		{"404", fakediscord.Attachment{Name: "harbour.md", Status: 404}, "", msgDownloadFailed},
		{"server error", fakediscord.Attachment{Name: "harbour.md", Status: 500}, "", msgDownloadFailed},
		{"slow", fakediscord.Attachment{Name: "harbour.md", Stall: true}, "", msgDownloadTimeout},
		// Whatever size the attachment says it has, the download stops at
		// the size limit.
		{"endless", fakediscord.Attachment{Name: "harbour.md", Data: []byte(strings.Repeat(harbourDoc, 100)), Endless: true}, "",
			fmt.Sprintf(msgTooLargeUpload, corpus.MaxFileSize>>20)},
		{"redirect off the CDN", fakediscord.Attachment{Name: "harbour.md",
			RedirectTo: strings.Replace(elsewhere, "127.0.0.1", "localhost", 1)}, "", msgOffCDN},
		{"not on the CDN", fakediscord.Attachment{}, "https://example.com/attachments/1/2/harbour.md", msgOffCDN},
		{"plain HTTP to Discord's CDN", fakediscord.Attachment{}, "http://cdn.discordapp.com/attachments/1/2/harbour.md", msgOffCDN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := tt.url
			if url == "" {
				url = m.fake.Attach(tt.a)
			}
			id, token := m.interact(t, asModerator(uploadCmd("harbour.md", url, len(harbourDoc))))
			deferredEphemeral(t, m.callback(t, id, token))
			if got := m.finalEdit(t, token, msgFailedPrefix); got != msgFailedPrefix+tt.want {
				t.Errorf("told %q, want %q", got, msgFailedPrefix+tt.want)
			}
			if after := folderFiles(t, m.folder); !maps.Equal(before, after) {
				t.Errorf("corpus folder changed: %v", after)
			}
		})
	}
	if n := m.fake.Downloads(elsewhere); n != 0 {
		t.Errorf("followed a redirect off the CDN: %d downloads", n)
	}
	// A redirect within the CDN is followed.
	url := m.fake.Attach(fakediscord.Attachment{Name: "harbour.md", RedirectTo: elsewhere})
	id, token := m.interact(t, asModerator(uploadCmd("harbour.md", url, len(harbourDoc))))
	deferredEphemeral(t, m.callback(t, id, token))
	m.finalEdit(t, token, "Questions are answered from it now")
}

func TestProductionCDN(t *testing.T) {
	cfg := Config{}.withDefaults()
	for url, ok := range map[string]bool{
		"https://cdn.discordapp.com/attachments/1/2/a.txt":       true,
		"https://media.discordapp.net/attachments/1/2/a.txt":     true,
		"https://CDN.discordapp.com/attachments/1/2/a.txt":       true,
		"http://cdn.discordapp.com/attachments/1/2/a.txt":        false,
		"https://cdn.discordapp.com.evil.example/a.txt":          false,
		"https://cdn.discordapp.com:8443/a.txt":                  false,
		"https://user@cdn.discordapp.com/attachments/1/a.txt":    false,
		"https://evil.example/?https://cdn.discordapp.com/a.txt": false,
		"file:///etc/passwd":                                     false,
	} {
		u, err := neturl.Parse(url)
		if err != nil {
			t.Fatal(err)
		}
		if got := onCDN(u, cfg.CDN); got != ok {
			t.Errorf("onCDN(%s) = %v, want %v", url, got, ok)
		}
	}
}

func TestRemoveDocument(t *testing.T) {
	m := startModerated(t, Config{})
	// Autocomplete offers documents by title and ID.
	id, token := m.interact(t, asModerator(autocompleteOf(cmdCorpus, map[string]any{
		"name": subRemove, "type": 1, "options": []any{focused(optDocument, "orch")},
	})))
	r := m.callback(t, id, token)
	if r.Type != 8 || len(r.Data.Choices) != 1 || r.Data.Choices[0].Value != "orchard" || r.Data.Choices[0].Name != "The Orchard · orchard" {
		t.Fatalf("autocomplete: %+v", r.Data)
	}
	id, token = m.interact(t, asModerator(autocompleteOf(cmdCorpus, map[string]any{
		"name": subRemove, "type": 1, "options": []any{focused(optDocument, "")},
	})))
	if r := m.callback(t, id, token); len(r.Data.Choices) != 2 {
		t.Errorf("autocomplete of nothing typed: %+v", r.Data)
	}

	// An unknown document is told at once.
	id, token = m.interact(t, asModerator(corpusCmd(subRemove, opt(optDocument, "harbour"))))
	if got := ephemeralText(t, m.callback(t, id, token)); !strings.Contains(got, "There is no document “harbour”") {
		t.Errorf("unknown document: %q", got)
	}

	if d := m.ask(t, orchardQ); !strings.Contains(d, "Hobb") {
		t.Fatalf("not answered before the removal: %q", d)
	}
	// By its title, too.
	id, token = m.interact(t, asModerator(corpusCmd(subRemove, opt(optDocument, "the orchard"))))
	deferredEphemeral(t, m.callback(t, id, token))
	got := m.finalEdit(t, token, "Removed the document")
	if !strings.Contains(got, "“orchard”") || !strings.Contains(got, "1 document and") {
		t.Errorf("summary: %q", got)
	}
	if _, ok := folderFiles(t, m.folder)["orchard.md"]; ok {
		t.Errorf("orchard.md is still in the corpus folder")
	}
	if d := m.ask(t, orchardQ); strings.Contains(d, "Hobb") {
		t.Errorf("answered from a removed document: %q", d)
	}
}

func TestCorpusList(t *testing.T) {
	m := startModerated(t, Config{})
	id, token := m.interact(t, asModerator(corpusCmd(subList)))
	r := m.callback(t, id, token)
	if r.Type != 4 || r.Data.Flags&64 == 0 || len(r.Data.Embeds) != 1 {
		t.Fatalf("/corpus list: %+v", r)
	}
	e := r.Data.Embeds[0]
	lines := strings.Split(e.Description, "\n")
	if len(lines) != 2 {
		t.Fatalf("list: %q", e.Description)
	}
	fi, err := os.Stat(filepath.Join(m.folder, "orchard.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := "**The Orchard** · orchard · " + byteSize(fi.Size()) + " · 1 passage · changed <t:"
	if !strings.HasPrefix(lines[1], want) {
		t.Errorf("list line %q, want it to start %q", lines[1], want)
	}
	if !strings.Contains(lines[0], `The Keeper of \*Gull Rock\*`) || !strings.Contains(lines[0], "lighthouse") {
		t.Errorf("list line %q", lines[0])
	}
	if e.Footer == nil || !strings.HasPrefix(e.Footer.Text, "2 documents · ") {
		t.Errorf("footer %+v", e.Footer)
	}
}

func TestRenderDocumentsCut(t *testing.T) {
	for _, n := range []int{0, 1, maxListed, maxListed + 1, 400} {
		var docs []answer.Document
		for k := range n {
			id := strings.Repeat("x", 60) + string(rune('a'+k%26)) + strings.Repeat("y", k%7)
			docs = append(docs, answer.Document{ID: id, Title: strings.Repeat("Title @everyone ", 8), Size: int64(k) << 12, Passages: k, Modified: time.Unix(1e9, 0)})
		}
		e := RenderDocuments(docs)
		raw, _ := json.Marshal(e)
		var se sentEmbed
		decodeJSON(t, raw, &se)
		checkEmbed(t, se)
		lines := strings.Split(e.Description, "\n")
		shown := len(lines)
		if n > 0 && strings.HasPrefix(lines[len(lines)-1], "… and ") {
			shown--
			if want := fmt.Sprintf("… and %d more", n-shown); lines[len(lines)-1] != want {
				t.Errorf("%d documents: last line %q, want %q", n, lines[len(lines)-1], want)
			}
		}
		if n > 0 && (shown > maxListed || shown < 1 || (n <= maxListed && shown != n && textLen(e.Description) < maxDescription-200)) {
			t.Errorf("%d documents: %d shown", n, shown)
		}
	}
}

func TestReindexDryRunThenReindex(t *testing.T) {
	m := startModerated(t, Config{})
	writeFile(t, m.folder, "harbour.md", harbourDoc)
	if err := os.Remove(filepath.Join(m.folder, "orchard.md")); err != nil {
		t.Fatal(err)
	}
	id, token := m.interact(t, asModerator(slash(cmdReindex, opt(optDryRun, true))))
	deferredEphemeral(t, m.callback(t, id, token))
	got := m.finalEdit(t, token, "Dry run")
	for _, want := range []string{"1 document added (harbour)", "0 documents changed", "1 document removed (orchard)", "would have 2 documents"} {
		if !strings.Contains(got, want) {
			t.Errorf("dry run %q does not say %q", got, want)
		}
	}
	if d := m.ask(t, orchardQ); !strings.Contains(d, "Hobb") {
		t.Errorf("a dry run changed the index: %q", d)
	}

	id, token = m.interact(t, asModerator(slash(cmdReindex)))
	deferredEphemeral(t, m.callback(t, id, token))
	got = m.finalEdit(t, token, "Reindexed in")
	for _, want := range []string{"1 document added (harbour)", "1 document removed (orchard)", "The corpus has 2 documents", "answered from the new index now"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary %q does not say %q", got, want)
		}
	}
	if d := m.ask(t, harbourQ); !strings.Contains(d, "Ysolde") {
		t.Errorf("not answered from the new index: %q", d)
	}
}

// gatedReindex is the real library, whose reindex stops at its first
// progress report until released, after passing a burst of reports on.
type gatedReindex struct {
	*live.Library
	reached, release chan struct{}
}

// burst is how many progress reports gatedReindex passes on at once.
const burst = 50

func (g *gatedReindex) Reindex(ctx context.Context, who answer.Actor, dryRun bool, progress func(answer.Progress)) (answer.ChangeReport, error) {
	first := true
	return g.Library.Reindex(ctx, who, dryRun, func(p answer.Progress) {
		if first {
			first = false
			for k := 1; k <= burst; k++ {
				progress(answer.Progress{Documents: k, TotalDocuments: 1000, Passages: 10 * k})
			}
			close(g.reached)
			<-g.release
		}
		progress(p)
	})
}

func TestReindexProgressAndSecondChange(t *testing.T) {
	folder := t.TempDir()
	writeFile(t, folder, "orchard.md", orchardDoc)
	lib, err := live.Open(context.Background(), live.Config{CorpusDir: folder, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	gate := &gatedReindex{Library: lib, reached: make(chan struct{}), release: make(chan struct{})}
	h := newHarness(t)
	h.mod = gate
	h.run(t, lib, Config{})
	writeFile(t, folder, "harbour.md", harbourDoc)

	id, token := h.interact(t, asModerator(slash(cmdReindex)))
	deferredEphemeral(t, h.callback(t, id, token))
	<-gate.reached
	// The reports are shown, the latest of a burst, while the rebuild runs.
	if got := h.edit(t, token, 1).text(); got != "Reindexing…" {
		t.Errorf("first edit %q", got)
	}
	got := h.finalEdit(t, token, "of 1000 documents")
	if want := "Reindexing… 50 of 1000 documents, 500 passages so far."; got != want {
		t.Errorf("progress %q, want %q", got, want)
	}
	// Questions are answered meanwhile, from the old index.
	if d := h.ask(t, orchardQ); !strings.Contains(d, "Hobb") {
		t.Errorf("not answered during a reindex: %q", d)
	}
	// A second change from Discord is told at once.
	id2, token2 := h.interact(t, asModerator(slash(cmdReindex, opt(optDryRun, true))))
	if got := ephemeralText(t, h.callback(t, id2, token2)); got != msgChangeRunning {
		t.Errorf("second /reindex told %q", got)
	}
	url := h.fake.Attach(fakediscord.Attachment{Name: "x.md", Data: []byte(harbourDoc)})
	id2, token2 = h.interact(t, asModerator(uploadCmd("x.md", url, len(harbourDoc))))
	if got := ephemeralText(t, h.callback(t, id2, token2)); got != msgChangeRunning {
		t.Errorf("upload during a reindex told %q", got)
	}
	close(gate.release)
	got = h.finalEdit(t, token, "Reindexed in")
	if got != h.lastEdit(t, token) {
		t.Errorf("the summary is not the last edit: %q", h.lastEdit(t, token))
	}
	if !strings.Contains(got, "1 document added (harbour)") {
		t.Errorf("summary %q", got)
	}
}

func TestReindexWhileTheLibraryChanges(t *testing.T) {
	m := startModerated(t, Config{})
	// A change from elsewhere (a shell, SIGHUP) is under way.
	writeFile(t, m.folder, "harbour.md", harbourDoc)
	reached, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		once := false
		_, err := m.lib.Reindex(context.Background(), answer.Actor{Name: "shell"}, false, func(answer.Progress) {
			if !once {
				once = true
				close(reached)
				<-release
			}
		})
		done <- err
	}()
	<-reached
	id, token := m.interact(t, asModerator(slash(cmdReindex)))
	deferredEphemeral(t, m.callback(t, id, token))
	if got := m.finalEdit(t, token, "Another change"); got != msgChangeRunning {
		t.Errorf("told %q", got)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if d := m.ask(t, harbourQ); !strings.Contains(d, "Ysolde") {
		t.Errorf("the other change did not land: %q", d)
	}
}

func TestFailedRebuildKeepsAnswering(t *testing.T) {
	m := startModerated(t, Config{})
	for _, name := range []string{"lighthouse.txt", "orchard.md"} {
		if err := os.Remove(filepath.Join(m.folder, name)); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, m.folder, "junk.txt", "\x00\x01binary\x00")
	id, token := m.interact(t, asModerator(slash(cmdReindex)))
	deferredEphemeral(t, m.callback(t, id, token))
	if got := m.finalEdit(t, token, msgFailedPrefix); got != msgFailedPrefix+msgNoDocuments {
		t.Errorf("told %q", got)
	}
	if d := m.ask(t, orchardQ); !strings.Contains(d, "Hobb") {
		t.Errorf("answers stopped after a failed rebuild: %q", d)
	}
	id, token = m.interact(t, slash(cmdAbout))
	about := m.callback(t, id, token).Data.Embeds[0].Description
	if !strings.Contains(about, "**Last change:** reindex by mod01") || !strings.Contains(about, ": failed (") {
		t.Errorf("/about: %q", about)
	}
}

func TestShutdownStopsAChange(t *testing.T) {
	m := startModerated(t, Config{})
	url := m.fake.Attach(fakediscord.Attachment{Name: "harbour.md", Stall: true})
	id, token := m.interact(t, asModerator(uploadCmd("harbour.md", url, len(harbourDoc))))
	deferredEphemeral(t, m.callback(t, id, token))
	m.fake.WaitFor(t, "the download", 10*time.Second, func([]fakediscord.Request) bool { return m.fake.Downloads(url) > 0 })
	// Another change is refused while the download runs.
	id2, token2 := m.interact(t, asModerator(slash(cmdReindex)))
	if got := ephemeralText(t, m.callback(t, id2, token2)); got != msgChangeRunning {
		t.Errorf("told %q", got)
	}
	m.shutdown(t)
	if got := m.lastEdit(t, token); got != msgFailedPrefix+msgChangeStopped {
		t.Errorf("told %q on shutdown", got)
	}
}

func TestChangeFailureMessages(t *testing.T) {
	problems := []corpus.Problem{corpus.BadName, corpus.Hidden, corpus.WrongType, corpus.TooLarge, corpus.UTF16, corpus.Binary, corpus.NotUTF8}
	seen := map[string]bool{}
	for _, p := range problems {
		msg := changeFailure(errors.Join(errors.New("add x"), &corpus.DocumentError{Name: "x", Problem: p, Reason: "bad name: why"}))
		if seen[msg] || !strings.HasPrefix(msg, msgFailedPrefix) {
			t.Errorf("problem %d: %q", p, msg)
		}
		seen[msg] = true
	}
	if got := changeFailure(errors.New("disk full <@123>")); !strings.Contains(got, "disk full") || pingable.MatchString(got) {
		t.Errorf("other failure: %q", got)
	}
}
