package bot

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Command names.
const (
	cmdAsk      = "ask"
	cmdSearch   = "search"
	cmdPassage  = "passage"
	cmdAbout    = "about"
	cmdAskStory = "Ask the story" // message context menu

	optQuestion = "question"
	optPrivate  = "private"
	optQuery    = "query"
	optID       = "id"
)

// DefaultMaxQuestionLen bounds a question, in characters: the max_length of
// the command options, and where mentions and DMs are cut.
const DefaultMaxQuestionLen = 500

// maxOptionLen is the most Discord allows as a string option's max_length.
const maxOptionLen = 6000

// Commands returns the application commands the bot registers, with the
// default question length.
func Commands() []*discordgo.ApplicationCommand { return commands(DefaultMaxQuestionLen) }

// commands are the commands this bot registers: the moderators' too when it
// has a Moderator.
func (b *Bot) commands() []*discordgo.ApplicationCommand {
	cmds := commands(b.cfg.MaxQuestionLen)
	if b.mod != nil {
		cmds = append(cmds, modCommands()...)
	}
	return cmds
}

func commands(maxQuestion int) []*discordgo.ApplicationCommand {
	maxQuestion = min(max(maxQuestion, 1), maxOptionLen)
	one := 1
	contexts := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	install := &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	return []*discordgo.ApplicationCommand{
		{
			Type:             discordgo.ChatApplicationCommand,
			Name:             cmdAsk,
			Description:      "Ask a question about the story; the answer quotes it word for word.",
			Contexts:         contexts,
			IntegrationTypes: install,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        optQuestion,
					Description: "Your question",
					Required:    true,
					MinLength:   &one,
					MaxLength:   maxQuestion,
				},
				{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        optPrivate,
					Description: "Show the answer only to you",
				},
			},
		},
		{
			Type:             discordgo.ChatApplicationCommand,
			Name:             cmdSearch,
			Description:      "Look up the passages that best match some words.",
			Contexts:         contexts,
			IntegrationTypes: install,
			Options: []*discordgo.ApplicationCommandOption{{
				Type:        discordgo.ApplicationCommandOptionString,
				Name:        optQuery,
				Description: "Words to look for",
				Required:    true,
				MinLength:   &one,
				MaxLength:   maxQuestion,
			}},
		},
		{
			Type:             discordgo.ChatApplicationCommand,
			Name:             cmdPassage,
			Description:      "Show a passage and its neighbours.",
			Contexts:         contexts,
			IntegrationTypes: install,
			Options: []*discordgo.ApplicationCommandOption{{
				Type:         discordgo.ApplicationCommandOptionString,
				Name:         optID,
				Description:  "A passage ID (story#5) or a title; start typing to choose",
				Required:     true,
				Autocomplete: true,
				MaxLength:    maxChoiceValue,
			}},
		},
		{
			Type:             discordgo.ChatApplicationCommand,
			Name:             cmdAbout,
			Description:      "What the bot knows and how to ask it.",
			Contexts:         contexts,
			IntegrationTypes: install,
		},
		{
			Type:             discordgo.MessageApplicationCommand,
			Name:             cmdAskStory,
			Contexts:         contexts,
			IntegrationTypes: install,
		},
	}
}

// Custom IDs of buttons. They carry everything a click needs, so that any
// replica can handle it: "ctx:<passage>", "fb:up:<passages>", "pg:<from>:<query>".
const (
	prefixContext  = "ctx:"
	prefixFeedback = "fb:"
	prefixPage     = "pg:"
)

// contextID names a passage for a More context button, or "" when the ID
// does not fit a custom_id.
func contextID(passage string) string {
	id := prefixContext + passage
	if len(id) > maxCustomID || passage == "" {
		return ""
	}
	return id
}

// feedbackID carries the vote and as many of the passages shown as fit.
func feedbackID(up bool, passages []string) string {
	id := prefixFeedback + "down:"
	if up {
		id = prefixFeedback + "up:"
	}
	for i, p := range passages {
		sep := ","
		if i == 0 {
			sep = ""
		}
		if len(id)+len(sep)+len(p) > maxCustomID || strings.Contains(p, ",") {
			break
		}
		id += sep + p
	}
	return id
}

// parseFeedback reads a feedbackID.
func parseFeedback(id string) (up bool, passages []string, ok bool) {
	rest, ok := strings.CutPrefix(id, prefixFeedback)
	if !ok {
		return false, nil, false
	}
	vote, list, ok := strings.Cut(rest, ":")
	if !ok || (vote != "up" && vote != "down") {
		return false, nil, false
	}
	if list != "" {
		passages = strings.Split(list, ",")
	}
	return vote == "up", passages, true
}

// pageID encodes a search page: the offset and the query, the query cut at a
// character boundary to fit.
func pageID(from int, query string) string {
	id := prefixPage + strconv.Itoa(from) + ":"
	room := maxCustomID - len(id)
	if len(query) > room {
		cut := room
		for cut > 0 && !utf8.RuneStart(query[cut]) {
			cut--
		}
		query = query[:cut]
	}
	return id + query
}

// parsePage reads a pageID.
func parsePage(id string) (from int, query string, ok bool) {
	rest, ok := strings.CutPrefix(id, prefixPage)
	if !ok {
		return 0, "", false
	}
	n, query, ok := strings.Cut(rest, ":")
	if !ok {
		return 0, "", false
	}
	from, err := strconv.Atoi(n)
	if err != nil || from < 0 || from > 10000 {
		return 0, "", false
	}
	return from, query, true
}
