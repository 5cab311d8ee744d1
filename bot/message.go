package bot

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// onMessage hands a MESSAGE_CREATE meant for the bot to a goroutine the Bot
// owns. Messages from bots (the bot itself included) and webhooks are ignored.
func (b *Bot) onMessage(mc *discordgo.MessageCreate) {
	if mc == nil || mc.Message == nil {
		return
	}
	m := mc.Message
	if _, ok := b.messageQuestion(m); !ok {
		return
	}
	arrived := time.Now()
	if !b.spawn(func(ctx context.Context) { b.serveMessage(ctx, m, arrived) }) {
		b.log.Info("message dropped while shutting down", keyMessage, m.ID)
	}
}

// serveMessage answers a mention or a DM with a reply to it, and reports how
// the question ended.
func (b *Bot) serveMessage(ctx context.Context, m *discordgo.Message, arrived time.Time) {
	src := SourceMention
	if m.GuildID == "" {
		src = SourceDM
	}
	log := b.messageLog(m)
	send, ended := b.messageReply(ctx, m)
	if send != nil {
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
		defer cancel()
		if _, err := b.session.ChannelMessageSendComplex(m.ChannelID, send, discordgo.WithContext(sctx)); err != nil {
			log.Error("send reply", keyErr, err)
			ended = OutcomeError
		}
	}
	if ended != 0 {
		b.report(src, ended, arrived)
	}
}

// messageReply computes the reply to a message and how its question ended:
// nil and 0 when the message is not for the bot, nil when its user was
// already told of the rate limit or that the bot is busy, else a reply
// referencing it. A panic is recovered into an apology.
func (b *Bot) messageReply(ctx context.Context, m *discordgo.Message) (send *discordgo.MessageSend, ended Outcome) {
	defer func() {
		if p := recover(); p != nil {
			b.logPanic("message", p, b.messageArgs(m)...)
			o := apology()
			send, ended = textReply(m, o.fail), o.kind
		}
	}()
	raw, ok := b.messageQuestion(m)
	if !ok {
		return nil, 0
	}
	log := b.messageLog(m)
	q, o, ok := b.checkQuestion(log, raw, msgMentionHow)
	if !ok {
		return textReply(m, o.fail), o.kind
	}
	if ok, retry, first := b.limiter.allow(m.Author.ID); !ok {
		o := limited(retry)
		if !first {
			return nil, o.kind
		}
		return textReply(m, o.fail), o.kind
	}
	if !b.acquire() {
		// A flood of mentions from many users must not fill the channel
		// with notices: each user is told once per rate window.
		o := busy()
		if ok, _, _ := b.busyTold.allow(m.Author.ID); !ok {
			log.Debug("busy", "told", false)
			return nil, o.kind
		}
		log.Debug("busy", "told", true)
		return textReply(m, o.fail), o.kind
	}
	defer func() { <-b.slots }()
	wctx, cancel := b.workContext(ctx)
	defer cancel()
	o = b.answer(wctx, log, q, msgMentionHow)
	if o.fail != "" {
		return textReply(m, o.fail), o.kind
	}
	return &discordgo.MessageSend{
		Embeds:          *o.edit.Embeds,
		Components:      *o.edit.Components,
		AllowedMentions: noMentions(),
		Reference:       reference(m),
	}, o.kind
}

// messageQuestion returns the question a message asks the bot: any message in
// a DM, or a guild message that mentions the bot or its own role, without the
// mention. ok is false for messages not meant for the bot, and for every
// message from a bot or a webhook.
func (b *Bot) messageQuestion(m *discordgo.Message) (question string, ok bool) {
	self := b.self()
	if m.Author == nil || m.Author.Bot || m.WebhookID != "" || self == "" || m.Author.ID == self {
		return "", false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return "", false
	}
	tokens := []string{"<@" + self + ">", "<@!" + self + ">"}
	mentioned := false
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			mentioned = true
		}
	}
	if role := b.role(m.GuildID); role != "" {
		tokens = append(tokens, "<@&"+role+">")
		mentioned = mentioned || slices.Contains(m.MentionRoles, role)
	}
	text := m.Content
	for _, t := range tokens {
		if strings.Contains(text, t) {
			mentioned = true
			text = strings.ReplaceAll(text, t, " ")
		}
	}
	if m.GuildID != "" && !mentioned {
		return "", false
	}
	return text, true
}

// reference makes a reply point at m, and still be sent if m was deleted.
func reference(m *discordgo.Message) *discordgo.MessageReference {
	no := false
	return &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &no}
}

// textReply is a short text replying to m.
func textReply(m *discordgo.Message, content string) *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Content:         content,
		AllowedMentions: noMentions(),
		Reference:       reference(m),
	}
}

func (b *Bot) messageArgs(m *discordgo.Message) []any {
	user := ""
	if m.Author != nil {
		user = m.Author.ID
	}
	return []any{keyMessage, m.ID, keyUser, user, keyGuild, m.GuildID, keyChannel, m.ChannelID}
}

func (b *Bot) messageLog(m *discordgo.Message) *slog.Logger {
	return b.log.With(b.messageArgs(m)...)
}
