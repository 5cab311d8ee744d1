package bot

import (
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/answer"
)

// outcome is how a question ended, and what it shows: an answer or a page
// of results (and a "not found", which offers the closest passages) is shown
// to everyone who sees the reply (edit); any other ending is told to its user
// alone (fail). Each way of ending is made by one function below, which is
// where its user's message comes from; kind is what an Observer is told.
type outcome struct {
	kind Outcome
	edit *discordgo.WebhookEdit
	// fail, when not "", is what the user alone is told.
	fail string
}

// shown is an outcome shown to everyone: answered or not found.
func shown(kind Outcome, e *discordgo.MessageEmbed, comps []discordgo.MessageComponent) outcome {
	return outcome{kind: kind, edit: editEmbed(e, comps)}
}

// refusedOutcome is a refused question; how is the how-to for the way it
// came.
func refusedOutcome(r *answer.RefusedError, how string) outcome {
	return outcome{kind: OutcomeRefused, fail: refusal(r, how)}
}

// askHow is a question refused before it could be read (an empty or missing
// option), told how to ask.
func askHow(how string) outcome { return outcome{kind: OutcomeRefused, fail: how} }

// limited is a question over its user's rate limit, who may ask again at
// retry.
func limited(retry time.Time) outcome {
	return outcome{kind: OutcomeRateLimited, fail: rateLimited(retry)}
}

// busy is a question that found every work slot taken (or the bot shutting
// down).
func busy() outcome { return outcome{kind: OutcomeBusy, fail: msgBusy} }

// failed is a question the engine failed (or took too long) to answer.
func failed(err error) outcome { return outcome{kind: OutcomeError, fail: engineMessage(err)} }

// apology is a question whose handler failed on the bot's side (a panic).
func apology() outcome { return outcome{kind: OutcomeError, fail: msgApology} }

// noPage is a page of results that is no longer there.
func noPage() outcome { return outcome{kind: OutcomeNotFound, fail: msgNoPage} }

// answered is how a question with this answer ended.
func answered(a answer.Answer) Outcome {
	if a.Found {
		return OutcomeAnswered
	}
	return OutcomeNotFound
}

// report tells the Observer how a question that arrived at arrived ended.
func (b *Bot) report(src Source, o Outcome, arrived time.Time) {
	b.cfg.Observer.Question(src, o, time.Since(arrived))
}

// questionSource says whether an interaction asks a question (a /ask, a
// /search or one of its pages, the message command) and, over the gateway,
// its source.
func questionSource(i *discordgo.Interaction) (Source, bool) {
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data, ok := commandData(i)
		if !ok {
			return 0, false
		}
		switch data.Name {
		case cmdAsk, cmdSearch:
			return SourceSlash, true
		case cmdAskStory:
			return SourceContextMenu, true
		}
	case discordgo.InteractionMessageComponent:
		data, ok := componentData(i)
		if ok && strings.HasPrefix(data.CustomID, prefixPage) {
			return SourceSlash, true
		}
	}
	return 0, false
}
