package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/answer"
)

// reply is an interaction's first response, which Discord needs within 3 s,
// and, when that response is deferred, the work whose result edits the
// original response.
//
// The gateway sends first through the REST API (serveInteraction). The HTTP
// interactions endpoint (endpoint.ServeHTTP) writes it as its reply body, or,
// when later is done within the endpoint's budget, writes later's result
// itself in place of first (inline); otherwise later's result edits the
// original response through the REST API the same way (deliver).
type reply struct {
	first *discordgo.InteractionResponse
	// later, when not nil, does the deferred work; its result edits the
	// original response (PATCH /webhooks/{app}/{token}/messages/@original),
	// and a failure is told to the user alone (see deliver).
	later func(ctx context.Context) outcome
	// slot is true when the reply holds a work slot, to be released once
	// later has run (or will not run).
	slot bool
	// change is true when later changes the corpus: the reply holds the
	// change slot (released as slot is), later has changeTimeout rather
	// than the question timeout, and it is cancelled when the bot shuts
	// down.
	change bool
	// ended, for a question answered at once (later is nil), is how it
	// ended.
	ended Outcome
}

// release gives back what a reply holds, once its work is done or will not
// be done.
func (b *Bot) release(r reply) {
	if r.slot {
		<-b.slots
	}
	if r.change {
		<-b.changing
	}
}

// endNow is the reply to a question that ends at once: its outcome told to
// its user alone.
func endNow(o outcome) reply { return reply{first: ephemeral(o.fail), ended: o.kind} }

// onInteraction hands an INTERACTION_CREATE to a goroutine the Bot owns.
func (b *Bot) onInteraction(ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil {
		return
	}
	i := ic.Interaction
	arrived := time.Now()
	if !b.spawn(func(ctx context.Context) { b.serveInteraction(ctx, i, arrived) }) {
		b.log.Info("interaction dropped while shutting down", keyInteraction, i.ID)
	}
}

// serveInteraction computes the response to i, sends it through the REST
// API, then does any deferred work and edits the original response with its
// result. A question's outcome is reported once it is sent.
func (b *Bot) serveInteraction(ctx context.Context, i *discordgo.Interaction, arrived time.Time) {
	src, question := questionSource(i)
	log := b.interactionLog(i)
	r := b.respond(i)
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	err := b.session.InteractionRespond(i, r.first, discordgo.WithContext(sctx))
	cancel()
	if err != nil {
		log.Error("send interaction response", keyErr, err)
		b.release(r)
		if question {
			b.report(src, OutcomeError, arrived)
		}
		return
	}
	ended := b.finish(ctx, i, r)
	if question {
		b.report(src, ended, arrived)
	}
}

// finish does a reply's deferred work, if any, and edits the original
// response with the result (deliver). It releases the reply's work slot and
// says how the question ended: as its work did, or in an error when the
// result could not be sent.
func (b *Bot) finish(ctx context.Context, i *discordgo.Interaction, r reply) Outcome {
	if r.later == nil {
		b.release(r)
		return r.ended
	}
	o := b.runLater(ctx, i, r)
	if err := b.deliver(ctx, i, r.first, o); err != nil {
		return OutcomeError
	}
	return o.kind
}

// deliver edits the original response, whose first response was deferred,
// with the outcome of its work; a failure after a public first response is
// sent to the user alone instead. It returns the REST API's error, which it
// has logged.
func (b *Bot) deliver(ctx context.Context, i *discordgo.Interaction, first *discordgo.InteractionResponse, o outcome) error {
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	log := b.interactionLog(i)
	if o.fail == "" || isEphemeral(first) {
		edit := o.edit
		if o.fail != "" {
			edit = editText(o.fail)
		}
		if _, err := b.session.InteractionResponseEdit(i, edit, discordgo.WithContext(sctx)); err != nil {
			log.Error("edit interaction response", keyErr, err)
			return fmt.Errorf("edit interaction response: %w", err)
		}
		return nil
	}
	// A failure is not shown in the channel: a public "thinking…" message is
	// deleted, a message whose buttons were clicked stays as it was, and the
	// user alone is told.
	if first.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
		if err := b.session.InteractionResponseDelete(i, discordgo.WithContext(sctx)); err != nil {
			log.Error("delete interaction response", keyErr, err)
		}
	}
	params := &discordgo.WebhookParams{Content: o.fail, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}
	if _, err := b.session.FollowupMessageCreate(i, false, params, discordgo.WithContext(sctx)); err != nil {
		log.Error("send follow-up message", keyErr, err)
		return fmt.Errorf("send follow-up message: %w", err)
	}
	return nil
}

// inline is the response that shows a deferred reply's outcome at once, in
// place of its deferred first response: the message (type 4), or the update
// of the message whose button was clicked (type 7); a failure is told to the
// user alone, and a clicked message stays as it was.
func inline(first *discordgo.InteractionResponse, o outcome) *discordgo.InteractionResponse {
	if o.fail != "" || o.edit == nil {
		return ephemeral(o.fail)
	}
	d := &discordgo.InteractionResponseData{AllowedMentions: noMentions()}
	if o.edit.Content != nil {
		d.Content = *o.edit.Content
	}
	if o.edit.Embeds != nil {
		d.Embeds = *o.edit.Embeds
	}
	if o.edit.Components != nil {
		d.Components = *o.edit.Components
	}
	typ := discordgo.InteractionResponseChannelMessageWithSource
	if first.Type == discordgo.InteractionResponseDeferredMessageUpdate {
		typ = discordgo.InteractionResponseUpdateMessage
	} else if isEphemeral(first) {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: typ, Data: d}
}

// isEphemeral reports whether a first response is seen by its user alone.
func isEphemeral(first *discordgo.InteractionResponse) bool {
	return first.Data != nil && first.Data.Flags&discordgo.MessageFlagsEphemeral != 0
}

// runLater runs the deferred work with a timeout, recovering a panic into an
// apology.
func (b *Bot) runLater(ctx context.Context, i *discordgo.Interaction, r reply) (o outcome) {
	defer b.release(r)
	defer func() {
		if p := recover(); p != nil {
			b.logPanic("interaction work", p, b.interactionArgs(i)...)
			o = apology()
		}
	}()
	if r.change {
		wctx, cancel := context.WithTimeout(ctx, changeTimeout)
		defer cancel()
		defer context.AfterFunc(b.stoppingContext(), cancel)()
		return r.later(wctx)
	}
	wctx, cancel := b.workContext(ctx)
	defer cancel()
	return r.later(wctx)
}

// stoppingContext is done once the bot shuts down.
func (b *Bot) stoppingContext() context.Context {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopping == nil {
		return context.Background()
	}
	return b.stopping
}

// respond computes the first response to an interaction without calling the
// engine's slow methods, so that it is ready at once. A panic is recovered
// into an ephemeral apology.
func (b *Bot) respond(i *discordgo.Interaction) (r reply) {
	defer func() {
		if p := recover(); p != nil {
			b.logPanic("interaction", p, b.interactionArgs(i)...)
			b.release(r)
			r = endNow(apology())
		}
	}()
	switch i.Type {
	case discordgo.InteractionPing:
		return reply{first: &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}}
	case discordgo.InteractionApplicationCommand:
		return b.command(i)
	case discordgo.InteractionApplicationCommandAutocomplete:
		return reply{first: b.autocomplete(i)}
	case discordgo.InteractionMessageComponent:
		return b.component(i)
	}
	return reply{first: ephemeral(msgUnknown)}
}

// command responds to a slash command or the context menu.
func (b *Bot) command(i *discordgo.Interaction) reply {
	data, ok := commandData(i)
	if !ok {
		return reply{first: ephemeral(msgUnknown)}
	}
	switch data.Name {
	case cmdAsk:
		q, okQ := stringOption(data.Options, optQuestion)
		private, okP := boolOption(data.Options, optPrivate)
		if !okQ || !okP {
			return endNow(askHow(msgNoQuestion))
		}
		return b.ask(i, q, private, msgNoQuestion)
	case cmdAskStory:
		text := ""
		if data.Resolved != nil {
			if m := data.Resolved.Messages[data.TargetID]; m != nil {
				text = m.Content
			}
		}
		return b.ask(i, text, false, msgNoText)
	case cmdSearch:
		q, ok := stringOption(data.Options, optQuery)
		if !ok {
			return endNow(askHow(msgNoQuery))
		}
		return b.search(i, q, 0, false)
	case cmdPassage:
		id, ok := stringOption(data.Options, optID)
		if !ok || strings.TrimSpace(id) == "" {
			return reply{first: ephemeral(msgPassageHow)}
		}
		w, ok := b.window(id)
		if !ok {
			return reply{first: ephemeral(fmt.Sprintf(msgNoPassage, escaped(id, 100)))}
		}
		return reply{first: message(RenderWindow(w, b.engine.Info()), nil, false)}
	case cmdAbout:
		return reply{first: message(RenderAbout(b.engine.Info()), nil, true)}
	case cmdReindex, cmdCorpus:
		if b.mod != nil {
			return b.moderate(i, data)
		}
	}
	return reply{first: ephemeral(msgUnknown)}
}

// ask defers a question's answer, after checking the question, that the user
// is under the rate limit and that a work slot is free; how is the how-to for
// an empty question.
func (b *Bot) ask(i *discordgo.Interaction, raw string, private bool, how string) reply {
	log := b.interactionLog(i)
	q, o, ok := b.checkQuestion(log, raw, how)
	if !ok {
		return endNow(o)
	}
	if ok, retry, _ := b.limiter.allow(userID(i)); !ok {
		return endNow(limited(retry))
	}
	if !b.acquire() {
		return endNow(busy())
	}
	return reply{
		first: deferred(private),
		slot:  true,
		later: func(ctx context.Context) outcome { return b.answer(ctx, log, q, how) },
	}
}

// search defers a page of a lookup; update is true for the paging buttons,
// whose response updates the message they are on. A page counts against the
// user's rate limit and needs a work slot, as a search does.
func (b *Bot) search(i *discordgo.Interaction, raw string, from int, update bool) reply {
	log := b.interactionLog(i)
	q, o, ok := b.checkQuestion(log, raw, msgNoQuery)
	if !ok {
		return endNow(o)
	}
	if ok, retry, _ := b.limiter.allow(userID(i)); !ok {
		return endNow(limited(retry))
	}
	first := deferred(false)
	if update {
		first = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	size := b.cfg.PageSize
	// Taking the slot comes last: nothing may fail between it and the return.
	if !b.acquire() {
		return endNow(busy())
	}
	return reply{
		first: first,
		slot:  true,
		later: func(ctx context.Context) outcome {
			res, err := b.engine.Search(ctx, q, from, size)
			if o, ok := b.refused(log, err, msgNoQuery); ok {
				return o
			}
			if err != nil {
				log.Error("search", keyErr, err)
				return failed(err)
			}
			if update && len(res.Hits) == 0 {
				// The corpus changed since the page was shown: keep
				// the results there, tell the clicker.
				return noPage()
			}
			kind := OutcomeAnswered
			if len(res.Hits) == 0 {
				kind = OutcomeNotFound
			}
			e, comps := RenderResults(q, from, size, res, b.engine.Info())
			return shown(kind, e, comps)
		},
	}
}

// window finds a passage by ID, else by the first autocomplete choice for
// what was typed (a title, say).
func (b *Bot) window(id string) (answer.Window, bool) {
	id = strings.TrimSpace(id)
	if id == "" {
		return answer.Window{}, false
	}
	if w, ok := b.engine.Window(id); ok {
		return w, true
	}
	if c := b.engine.Complete(id, 1); len(c) > 0 {
		return b.engine.Window(c[0].Value)
	}
	return answer.Window{}, false
}

// autocomplete answers the /passage id option, and /corpus remove's document
// option for moderators, with at most 25 choices. A user over the
// autocomplete limit, or a request when every autocomplete slot is taken,
// gets no choices at once: autocomplete never waits, nor takes a slot
// questions need.
func (b *Bot) autocomplete(i *discordgo.Interaction) *discordgo.InteractionResponse {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	none := &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}
	prefix, ok := focusedText(i)
	if !ok {
		return none
	}
	data, _ := commandData(i)
	documents := data.Name == cmdCorpus
	if documents && (b.mod == nil || !b.isModerator(i)) {
		return none
	}
	if ok, _, _ := b.completions.allow(userID(i)); !ok {
		b.interactionLog(i).Debug("autocomplete over the user's limit")
		return none
	}
	if !tryAcquire(b.completeSlots) {
		b.interactionLog(i).Debug("autocomplete busy")
		return none
	}
	defer func() { <-b.completeSlots }()
	if documents {
		none.Data.Choices = documentChoices(b.mod.Documents(), prefix)
		return none
	}
	seen := map[string]bool{}
	for _, c := range b.engine.Complete(strings.TrimSpace(prefix), maxChoices) {
		name := plainCut(c.Name, maxChoiceName)
		if name == "" || c.Value == "" || len(c.Value) > maxChoiceValue || seen[c.Value] {
			continue
		}
		seen[c.Value] = true
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: c.Value})
		if len(choices) == maxChoices {
			break
		}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}
}

// component responds to a button.
func (b *Bot) component(i *discordgo.Interaction) reply {
	data, _ := componentData(i)
	id := data.CustomID
	switch {
	case strings.HasPrefix(id, prefixContext):
		w, ok := b.engine.Window(strings.TrimPrefix(id, prefixContext))
		if !ok {
			return reply{first: ephemeral("That passage is no longer in the story.")}
		}
		return reply{first: message(RenderWindow(w, b.engine.Info()), nil, true)}
	case strings.HasPrefix(id, prefixFeedback):
		up, passages, ok := parseFeedback(id)
		if ok {
			vote := "down"
			if up {
				vote = "up"
			}
			question := ""
			if i.Message != nil && len(i.Message.Embeds) > 0 {
				question = unescapeMarkdown(i.Message.Embeds[0].Title)
			}
			b.interactionLog(i).Info("feedback", "vote", vote, "question", question, "passages", passages)
			b.cfg.Observer.Vote(up)
		}
		return reply{first: ephemeral(msgThanks)}
	case strings.HasPrefix(id, prefixPage):
		// Only a button the message has can be clicked; any other custom
		// ID is forged, and the message is left as it is.
		from, q, ok := parsePage(id)
		if !ok || !hasButton(i.Message, id) {
			return endNow(outcome{kind: OutcomeRefused, fail: msgNoPage})
		}
		return b.search(i, q, from, true)
	}
	return reply{first: ephemeral(msgUnknown)}
}

// userID is the ID of the user who caused an interaction, in a guild or a DM.
func userID(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

func (b *Bot) interactionArgs(i *discordgo.Interaction) []any {
	args := []any{keyInteraction, i.ID, keyUser, userID(i), keyGuild, i.GuildID, keyChannel, i.ChannelID}
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		data, _ := commandData(i)
		args = append(args, keyCommand, data.Name)
	case discordgo.InteractionMessageComponent:
		data, _ := componentData(i)
		args = append(args, keyCommand, data.CustomID)
	}
	return args
}

func (b *Bot) interactionLog(i *discordgo.Interaction) *slog.Logger {
	return b.log.With(b.interactionArgs(i)...)
}

// ephemeral is an immediate text response only the user sees.
func ephemeral(content string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         content,
			Flags:           discordgo.MessageFlagsEphemeral,
			AllowedMentions: noMentions(),
		},
	}
}

// message is an immediate response with an embed.
func message(e *discordgo.MessageEmbed, comps []discordgo.MessageComponent, private bool) *discordgo.InteractionResponse {
	d := &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{e},
		Components:      comps,
		AllowedMentions: noMentions(),
	}
	if private {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d}
}

// deferred acknowledges a command whose answer comes later; private makes the
// answer ephemeral.
func deferred(private bool) *discordgo.InteractionResponse {
	d := &discordgo.InteractionResponseData{AllowedMentions: noMentions()}
	if private {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: d}
}

// editText replaces the original response with a text.
func editText(content string) *discordgo.WebhookEdit {
	return &discordgo.WebhookEdit{
		Content:         &content,
		Embeds:          &[]*discordgo.MessageEmbed{},
		Components:      &[]discordgo.MessageComponent{},
		AllowedMentions: noMentions(),
	}
}

// editEmbed replaces the original response with an embed and its buttons.
func editEmbed(e *discordgo.MessageEmbed, comps []discordgo.MessageComponent) *discordgo.WebhookEdit {
	empty := ""
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	return &discordgo.WebhookEdit{
		Content:         &empty,
		Embeds:          &[]*discordgo.MessageEmbed{e},
		Components:      &comps,
		AllowedMentions: noMentions(),
	}
}
