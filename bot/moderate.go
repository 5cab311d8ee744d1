package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// Moderator changes the corpus for the moderators' commands: it rebuilds the
// index, adds, replaces and removes documents, and lists them. A change
// returns what it did; a second change while one runs fails with
// answer.ErrChangeRunning. progress, when not nil, is called from the
// rebuilding goroutine as the rebuild goes.
type Moderator interface {
	Reindex(ctx context.Context, who answer.Actor, dryRun bool, progress func(answer.Progress)) (answer.ChangeReport, error)
	AddDocument(ctx context.Context, who answer.Actor, name string, data []byte, replace bool, progress func(answer.Progress)) (answer.ChangeReport, error)
	RemoveDocument(ctx context.Context, who answer.Actor, id string, progress func(answer.Progress)) (answer.ChangeReport, error)
	Documents() []answer.Document
}

// Names of the moderators' commands and their options.
const (
	cmdReindex = "reindex"
	cmdCorpus  = "corpus"
	subAdd     = "add"
	subRemove  = "remove"
	subList    = "list"

	optDryRun   = "dry-run"
	optFile     = "file"
	optReplace  = "replace"
	optDocument = "document"
)

// moderatorPermissions are the permissions that make a member a moderator,
// either one: Manage Server (the commands' default_member_permissions) and
// Administrator.
const moderatorPermissions = discordgo.PermissionManageGuild | discordgo.PermissionAdministrator

// changeTimeout bounds one change to the corpus (a download and a rebuild),
// well inside the 15 minutes an interaction token can edit its response.
const changeTimeout = 14 * time.Minute

// progressEvery is the least time between two progress edits of a change's
// response; the first is made at once.
const progressEvery = 2 * time.Second

// modCommands are the moderators' commands: guild only, and shown only to
// members with Manage Server unless a server's settings say otherwise.
func modCommands() []*discordgo.ApplicationCommand {
	perms := int64(discordgo.PermissionManageGuild)
	noDM := false
	contexts := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	install := &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	return []*discordgo.ApplicationCommand{
		{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     cmdReindex,
			Description:              "Rebuild the index from the corpus folder (moderators).",
			DefaultMemberPermissions: &perms,
			DMPermission:             &noDM,
			Contexts:                 contexts,
			IntegrationTypes:         install,
			Options: []*discordgo.ApplicationCommandOption{{
				Type:        discordgo.ApplicationCommandOptionBoolean,
				Name:        optDryRun,
				Description: "Only report what would change",
			}},
		},
		{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     cmdCorpus,
			Description:              "Add, remove or list the corpus's documents (moderators).",
			DefaultMemberPermissions: &perms,
			DMPermission:             &noDM,
			Contexts:                 contexts,
			IntegrationTypes:         install,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        subAdd,
					Description: "Add a .txt or .md document, answered from at once.",
					Options: []*discordgo.ApplicationCommandOption{
						{
							Type:        discordgo.ApplicationCommandOptionAttachment,
							Name:        optFile,
							Description: "A .txt or .md file, UTF-8 text; its name without the extension is its ID",
							Required:    true,
						},
						{
							Type:        discordgo.ApplicationCommandOptionBoolean,
							Name:        optReplace,
							Description: "Replace the document of that name if there is one",
						},
					},
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        subRemove,
					Description: "Remove a document and rebuild the index.",
					Options: []*discordgo.ApplicationCommandOption{{
						Type:         discordgo.ApplicationCommandOptionString,
						Name:         optDocument,
						Description:  "The document's ID or title; start typing to choose",
						Required:     true,
						Autocomplete: true,
						MaxLength:    maxChoiceValue,
					}},
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        subList,
					Description: "List the documents of the corpus.",
				},
			},
		},
	}
}

// isModerator reports whether the member who caused an interaction may
// change the corpus: in a guild, with Manage Server or Administrator in the
// interaction's permissions, or holding one of Config.ModRoles.
func (b *Bot) isModerator(i *discordgo.Interaction) bool {
	if i.GuildID == "" || i.Member == nil {
		return false
	}
	if i.Member.Permissions&moderatorPermissions != 0 {
		return true
	}
	for _, r := range i.Member.Roles {
		if r != "" && slices.Contains(b.cfg.ModRoles, r) {
			return true
		}
	}
	return false
}

// actor names the user who caused an interaction for the change log.
func actor(i *discordgo.Interaction) answer.Actor {
	a := answer.Actor{ID: userID(i)}
	u := i.User
	if i.Member != nil && i.Member.User != nil {
		u = i.Member.User
	}
	if u != nil {
		a.Name = u.Username
	}
	return a
}

// What moderators are told.
const (
	msgNotModerator  = "Only the server's moderators can change the corpus."
	msgChangeRunning = "Another change to the corpus is running. Please wait until it is done, then try again."
	msgNoAttachment  = "Attach the file to upload: `/corpus add file:` and choose a .txt or .md file."
	msgNoDocument    = "There is no document “%s”. Start typing in the `document` option to choose one, or see `/corpus list`."
	msgDocumentHow   = "Choose a document: `/corpus remove document:` and start typing its title or ID."
	msgCorpusHow     = "Use `/corpus add`, `/corpus remove` or `/corpus list`."
	msgProgress      = "%s… %d of %d documents, %s so far."
	msgStarting      = "%s…"
)

// moderate responds to a moderator's command, after checking that the user
// is one: anyone else is refused, and the attempt is logged.
func (b *Bot) moderate(i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) reply {
	sub, opts := subcommand(data)
	log := b.interactionLog(i).With(keySubcommand, sub)
	if !b.isModerator(i) {
		log.Warn("moderator command refused: not a moderator", keyUserName, actor(i).Name)
		return reply{first: ephemeral(msgNotModerator)}
	}
	switch {
	case data.Name == cmdReindex:
		dry, ok := boolOption(data.Options, optDryRun)
		if !ok {
			return reply{first: ephemeral(msgUnknown)}
		}
		return b.change(i, log, "Reindexing", func(ctx context.Context, who answer.Actor, progress func(answer.Progress)) (string, error) {
			r, err := b.mod.Reindex(ctx, who, dry, progress)
			if err != nil {
				return "", err
			}
			return reindexSummary(r), nil
		})
	case sub == subAdd:
		return b.addDocument(i, log, data, opts)
	case sub == subRemove:
		return b.removeDocument(i, log, opts)
	case sub == subList:
		return reply{first: message(RenderDocuments(b.mod.Documents()), nil, true)}
	}
	return reply{first: ephemeral(msgCorpusHow)}
}

// subcommand is the subcommand of a command and its options, or "" and the
// command's own options.
func subcommand(data discordgo.ApplicationCommandInteractionData) (string, []*discordgo.ApplicationCommandInteractionDataOption) {
	for _, o := range data.Options {
		if o != nil && o.Type == discordgo.ApplicationCommandOptionSubCommand {
			return o.Name, o.Options
		}
	}
	return "", data.Options
}

// changeWork is one change to the corpus; it returns the summary the
// moderator is shown.
type changeWork func(ctx context.Context, who answer.Actor, progress func(answer.Progress)) (string, error)

// change defers a change to the corpus, when no other change from Discord is
// running: its response is ephemeral, edited with the rebuild's progress and
// then with the summary, or with why it failed. The work has changeTimeout,
// and is cancelled when the bot shuts down.
func (b *Bot) change(i *discordgo.Interaction, log *slog.Logger, doing string, work changeWork) reply {
	if !tryAcquire(b.changing) {
		log.Info("change refused: another is running")
		return reply{first: ephemeral(msgChangeRunning)}
	}
	who := actor(i)
	return reply{
		first:  deferred(true),
		change: true,
		later: func(ctx context.Context) outcome {
			p := b.startProgress(ctx, i, doing)
			summary, err := work(ctx, who, p.report)
			p.stop()
			if err != nil {
				log.Error("change to the corpus failed", keyErr, err)
				return outcome{fail: changeFailure(err)}
			}
			log.Info("change to the corpus done", "summary", summary)
			return outcome{edit: editText(summary)}
		},
	}
}

// addDocument checks an upload's name and size before anything is deferred,
// then downloads it and adds it to the corpus.
func (b *Bot) addDocument(i *discordgo.Interaction, log *slog.Logger, data discordgo.ApplicationCommandInteractionData, opts []*discordgo.ApplicationCommandInteractionDataOption) reply {
	replace, ok := boolOption(opts, optReplace)
	if !ok {
		return reply{first: ephemeral(msgNoAttachment)}
	}
	a, ok := attachment(data, opts)
	if !ok {
		return reply{first: ephemeral(msgNoAttachment)}
	}
	log = log.With(keyFile, a.Filename, keySize, a.Size)
	// The name and the announced size first: a file refused for either is
	// not downloaded.
	if err := corpus.Check(a.Filename, nil); err != nil {
		log.Info("upload refused", keyErr, err)
		return reply{first: ephemeral(changeFailure(err))}
	}
	if int64(a.Size) > corpus.MaxFileSize {
		log.Info("upload refused: too large")
		return reply{first: ephemeral(changeFailure(errAttachmentTooLarge))}
	}
	name := a.Filename
	return b.change(i, log, "Adding "+escaped(name, maxNameTitle), func(ctx context.Context, who answer.Actor, progress func(answer.Progress)) (string, error) {
		body, err := b.fetch(ctx, a)
		if err != nil {
			return "", err
		}
		r, err := b.mod.AddDocument(ctx, who, name, body, replace, progress)
		if err != nil {
			return "", err
		}
		return addSummary(name, r), nil
	})
}

// attachment is the file of /corpus add, from the interaction's resolved
// attachments.
func attachment(data discordgo.ApplicationCommandInteractionData, opts []*discordgo.ApplicationCommandInteractionDataOption) (*discordgo.MessageAttachment, bool) {
	o := option(opts, optFile)
	if o == nil || o.Type != discordgo.ApplicationCommandOptionAttachment || data.Resolved == nil {
		return nil, false
	}
	id, ok := o.Value.(string)
	if !ok {
		return nil, false
	}
	a := data.Resolved.Attachments[id]
	if a == nil || a.Filename == "" || (a.URL == "" && a.ProxyURL == "") {
		return nil, false
	}
	return a, true
}

// removeDocument finds the document to remove by ID, else by title, before
// anything is deferred, then removes it.
func (b *Bot) removeDocument(i *discordgo.Interaction, log *slog.Logger, opts []*discordgo.ApplicationCommandInteractionDataOption) reply {
	raw, ok := stringOption(opts, optDocument)
	if !ok || strings.TrimSpace(raw) == "" {
		return reply{first: ephemeral(msgDocumentHow)}
	}
	doc, ok := findDocument(b.mod.Documents(), raw)
	if !ok {
		return reply{first: ephemeral(fmt.Sprintf(msgNoDocument, escaped(raw, maxNameTitle)))}
	}
	log = log.With(keyDocument, doc.ID)
	return b.change(i, log, "Removing "+escaped(doc.ID, maxNameTitle), func(ctx context.Context, who answer.Actor, progress func(answer.Progress)) (string, error) {
		r, err := b.mod.RemoveDocument(ctx, who, doc.ID, progress)
		if err != nil {
			return "", err
		}
		return removeSummary(doc, r), nil
	})
}

// findDocument finds a document by its ID, else by its title (ignoring
// case).
func findDocument(docs []answer.Document, s string) (answer.Document, bool) {
	s = strings.TrimSpace(s)
	for _, d := range docs {
		if d.ID == s {
			return d, true
		}
	}
	for _, d := range docs {
		if strings.EqualFold(d.Title, s) || strings.EqualFold(d.ID, s) {
			return d, true
		}
	}
	return answer.Document{}, false
}

// documentChoices are the autocomplete choices for /corpus remove: the
// documents whose ID or title starts with, then contains, what was typed.
func documentChoices(docs []answer.Document, typed string) []*discordgo.ApplicationCommandOptionChoice {
	typed = strings.ToLower(strings.TrimSpace(typed))
	var first, then []answer.Document
	for _, d := range docs {
		id, title := strings.ToLower(d.ID), strings.ToLower(d.Title)
		switch {
		case strings.HasPrefix(id, typed) || strings.HasPrefix(title, typed):
			first = append(first, d)
		case strings.Contains(id, typed) || strings.Contains(title, typed):
			then = append(then, d)
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, d := range append(first, then...) {
		if d.ID == "" || len(d.ID) > maxChoiceValue {
			continue
		}
		name := d.ID
		if d.Title != "" && d.Title != d.ID {
			name = plainCut(d.Title, maxChoiceName-textLen(d.ID)-3) + " · " + d.ID
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: plainCut(name, maxChoiceName), Value: d.ID})
		if len(choices) == maxChoices {
			break
		}
	}
	return choices
}

// progressEdits edits a change's response with the rebuild's progress, at
// most once every progressEvery, from a goroutine of its own that stop
// waits for: the rebuild never waits for Discord.
type progressEdits struct {
	latest chan answer.Progress // holds the latest progress not yet shown
	done   chan struct{}
	exited chan struct{}
}

// startProgress shows that a change has started and starts the progress
// edits of its response.
func (b *Bot) startProgress(ctx context.Context, i *discordgo.Interaction, doing string) *progressEdits {
	p := &progressEdits{latest: make(chan answer.Progress, 1), done: make(chan struct{}), exited: make(chan struct{})}
	edit := func(text string) {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		defer cancel()
		if _, err := b.session.InteractionResponseEdit(i, editText(text), discordgo.WithContext(sctx)); err != nil {
			b.interactionLog(i).Warn("edit progress", keyErr, err)
		}
	}
	go func() {
		defer close(p.exited)
		defer b.recoverPanic("progress edits", b.interactionArgs(i)...)
		edit(fmt.Sprintf(msgStarting, doing))
		last := time.Now()
		for {
			var pr answer.Progress
			select {
			case <-p.done:
				return
			case pr = <-p.latest:
			}
			if wait := progressEvery - time.Since(last); wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-p.done:
					t.Stop()
					return
				case <-t.C:
				}
				// A newer progress may have come meanwhile.
				select {
				case pr = <-p.latest:
				default:
				}
			}
			edit(fmt.Sprintf(msgProgress, doing, pr.Documents, pr.TotalDocuments, plural(pr.Passages, "passage")))
			last = time.Now()
		}
	}()
	return p
}

// report records the latest progress, replacing any not shown yet; it never
// blocks.
func (p *progressEdits) report(pr answer.Progress) {
	for {
		select {
		case p.latest <- pr:
			return
		default:
		}
		select {
		case <-p.latest:
		default:
		}
	}
}

// stop ends the progress edits and waits until the last one is sent, so
// that the summary comes after it.
func (p *progressEdits) stop() {
	close(p.done)
	<-p.exited
}

// Why an upload or a change failed, besides the corpus's checks.
var (
	errAttachmentTooLarge = errors.New("attachment over the size limit")
	errOffCDN             = errors.New("attachment not on Discord's CDN")
	errDownload           = errors.New("attachment download failed")
)

// What moderators are told when a change fails.
const (
	msgFailedPrefix     = "Nothing was changed: "
	msgDocumentExists   = "a document of that name exists. Upload it with `replace:True` to replace it."
	msgNoSuchDocument   = "there is no such document (see `/corpus list`)."
	msgTooLargeUpload   = "that file is over the corpus's size limit of %d MiB."
	msgOffCDN           = "the attachment isn't on Discord's CDN, so I won't download it."
	msgDownloadFailed   = "I couldn't download the attachment from Discord. Please upload it again."
	msgDownloadTimeout  = "downloading the attachment took too long. Please try again."
	msgChangeTimeout    = "the change took too long and was stopped; questions are answered from the index as it was."
	msgChangeStopped    = "the change was stopped because the bot is shutting down; questions are answered from the index as it was."
	msgNoDocuments      = "no document in the corpus folder could be read, so the index was kept as it was."
	msgEmptyCorpus      = "the documents in the corpus folder hold no text, so the index was kept as it was."
	msgChangeFailedWith = "the change failed, and questions are answered from the index as it was. The error: %s"
	maxErrorText        = 1500
)

// changeFailure is what a moderator is told when a change to the corpus, or
// an upload, failed: one message per reason.
func changeFailure(err error) string {
	var de *corpus.DocumentError
	switch {
	case errors.Is(err, answer.ErrChangeRunning):
		return msgChangeRunning
	case errors.As(err, &de):
		return msgFailedPrefix + documentProblem(de)
	case errors.Is(err, answer.ErrDocumentExists):
		return msgFailedPrefix + msgDocumentExists
	case errors.Is(err, answer.ErrNoDocument):
		return msgFailedPrefix + msgNoSuchDocument
	case errors.Is(err, errAttachmentTooLarge):
		return msgFailedPrefix + fmt.Sprintf(msgTooLargeUpload, corpus.MaxFileSize>>20)
	case errors.Is(err, errOffCDN):
		return msgFailedPrefix + msgOffCDN
	case errors.Is(err, context.Canceled):
		return msgFailedPrefix + msgChangeStopped
	case errors.Is(err, errDownload) && errors.Is(err, context.DeadlineExceeded):
		return msgFailedPrefix + msgDownloadTimeout
	case errors.Is(err, errDownload):
		return msgFailedPrefix + msgDownloadFailed
	case errors.Is(err, context.DeadlineExceeded):
		return msgFailedPrefix + msgChangeTimeout
	case errors.Is(err, corpus.ErrNoDocuments):
		return msgFailedPrefix + msgNoDocuments
	case errors.Is(err, corpus.ErrEmpty):
		return msgFailedPrefix + msgEmptyCorpus
	}
	return msgFailedPrefix + fmt.Sprintf(msgChangeFailedWith, escaped(err.Error(), maxErrorText))
}

// documentProblem says why a file cannot be a document, one message per
// corpus.Problem.
func documentProblem(e *corpus.DocumentError) string {
	switch e.Problem {
	case corpus.BadName:
		return "that file name can't be a document's (" + escaped(strings.TrimPrefix(e.Reason, "bad name: "), 100) +
			"). Rename the file, without slashes, “..” or control characters, and upload it again."
	case corpus.Hidden:
		return "a file name starting with “.” is a hidden file. Rename the file and upload it again."
	case corpus.WrongType:
		return "only .txt and .md files can be documents."
	case corpus.TooLarge:
		return fmt.Sprintf(msgTooLargeUpload, corpus.MaxFileSize>>20)
	case corpus.UTF16:
		return "that file is UTF-16 text. Save it as UTF-8 and upload it again."
	case corpus.Binary:
		return "that file holds NUL bytes: it looks like a binary file, not text."
	case corpus.NotUTF8:
		return "that file isn't UTF-8 text. Save it as UTF-8 and upload it again."
	}
	return "that file can't be a document (" + escaped(e.Reason, 200) + ")."
}

// maxListedIDs is how many document IDs a summary names for each of added,
// changed and removed.
const maxListedIDs = 10

// reindexSummary says what a reindex did, or would do.
func reindexSummary(r answer.ChangeReport) string {
	var b strings.Builder
	if r.DryRun {
		b.WriteString("Dry run, nothing was changed. A reindex would make these changes: ")
	} else {
		b.WriteString("Reindexed in " + took(r.Took) + ": ")
	}
	b.WriteString(changes(r))
	if r.DryRun {
		fmt.Fprintf(&b, " The corpus would have %s and %s.", plural(r.Documents, "document"), plural(r.Passages, "passage"))
	} else {
		fmt.Fprintf(&b, " The corpus has %s and %s; questions are answered from the new index now.",
			plural(r.Documents, "document"), plural(r.Passages, "passage"))
	}
	return plainCut(b.String(), maxContent)
}

// changes lists the documents added, changed and removed.
func changes(r answer.ChangeReport) string {
	part := func(verb string, ids []string) string {
		s := plural(len(ids), "document") + " " + verb
		if len(ids) == 0 {
			return s
		}
		shown := ids[:min(len(ids), maxListedIDs)]
		names := make([]string, len(shown))
		for k, id := range shown {
			names[k] = escaped(id, maxNameID)
		}
		s += " (" + strings.Join(names, ", ")
		if more := len(ids) - len(shown); more > 0 {
			s += fmt.Sprintf(" and %d more", more)
		}
		return s + ")"
	}
	return part("added", r.Added) + ", " + part("changed", r.Changed) + ", " + part("removed", r.Removed) + "."
}

// addSummary says that an upload is in the corpus and answered from.
func addSummary(name string, r answer.ChangeReport) string {
	id := corpus.IDFor(name)
	verb := "Added"
	switch {
	case len(r.Added) > 0:
		id = r.Added[0]
	case len(r.Changed) > 0:
		id, verb = r.Changed[0], "Replaced"
	}
	return plainCut(fmt.Sprintf("%s %s as the document “%s” in %s. Questions are answered from it now; the corpus has %s and %s.",
		verb, escaped(name, maxNameTitle), escaped(id, maxNameTitle), took(r.Took),
		plural(r.Documents, "document"), plural(r.Passages, "passage")), maxContent)
}

// removeSummary says that a document was removed.
func removeSummary(d answer.Document, r answer.ChangeReport) string {
	return plainCut(fmt.Sprintf("Removed the document “%s” (%s) in %s. The corpus has %s and %s.",
		escaped(d.ID, maxNameTitle), escaped(d.Title, maxNameTitle), took(r.Took),
		plural(r.Documents, "document"), plural(r.Passages, "passage")), maxContent)
}

// took is a duration for people: "1.2 s", "340 ms".
func took(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// Log keys of the moderators' commands.
const (
	keySubcommand = "sub"
	keyUserName   = "user_name"
	keyFile       = "file"
	keySize       = "size"
	keyDocument   = "document"
)
