package bot

import (
	"context"
	"log/slog"
	"slices"
	"strings"

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
	if !b.spawn(func(ctx context.Context) { b.serveMessage(ctx, m) }) {
		b.log.Info("message dropped while shutting down", keyMessage, m.ID)
	}
}

// serveMessage answers a mention or a DM with a reply to it.
func (b *Bot) serveMessage(ctx context.Context, m *discordgo.Message) {
	log := b.messageLog(m)
	send := b.messageReply(ctx, m)
	if send == nil {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if _, err := b.session.ChannelMessageSendComplex(m.ChannelID, send, discordgo.WithContext(sctx)); err != nil {
		log.Error("send reply", keyErr, err)
	}
}

// messageReply computes the reply to a message: nil when the message is not
// for the bot (or its user was already told of the rate limit or that the bot
// is busy), else a reply referencing it. A panic is recovered into an apology.
func (b *Bot) messageReply(ctx context.Context, m *discordgo.Message) (send *discordgo.MessageSend) {
	defer func() {
		if p := recover(); p != nil {
			b.logPanic("message", p, b.messageArgs(m)...)
			send = textReply(m, msgApology)
		}
	}()
	raw, ok := b.messageQuestion(m)
	if !ok {
		return nil
	}
	log := b.messageLog(m)
	q, refused := b.checkQuestion(log, raw, msgMentionHow)
	if refused != "" {
		return textReply(m, refused)
	}
	if ok, retry, first := b.limiter.allow(m.Author.ID); !ok {
		if !first {
			return nil
		}
		return textReply(m, rateLimited(retry))
	}
	if !b.acquire() {
		// A flood of mentions from many users must not fill the channel
		// with notices: each user is told once per rate window.
		if ok, _, _ := b.busyTold.allow(m.Author.ID); !ok {
			log.Debug("busy", "told", false)
			return nil
		}
		log.Debug("busy", "told", true)
		return textReply(m, msgBusy)
	}
	defer func() { <-b.slots }()
	wctx, cancel := b.workContext(ctx)
	defer cancel()
	a, err := b.engine.Answer(wctx, q)
	if msg, ok := b.refused(log, err, msgMentionHow); ok {
		return textReply(m, msg)
	}
	if err != nil {
		log.Error("answer", keyErr, err)
		return textReply(m, engineMessage(err))
	}
	e, comps := RenderAnswer(a, b.engine.Info())
	return &discordgo.MessageSend{
		Embeds:          []*discordgo.MessageEmbed{e},
		Components:      comps,
		AllowedMentions: noMentions(),
		Reference:       reference(m),
	}
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
