package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// Embed colours.
const (
	colorAnswer   = 0x5865f2
	colorNotFound = 0x99aab5
	colorLookup   = 0x57f287
)

const (
	// maxCitations is how many citations an answer shows, one field each.
	maxCitations = 10
	// maxSuggestions is how many closest passages a not-found answer offers.
	maxSuggestions = 3
	// maxContextButtons is how many More context buttons an answer carries
	// (a row holds five buttons; two are for feedback).
	maxContextButtons = 3
	// maxNameTitle and maxNameID bound a document title and a passage ID in
	// a field name, and maxFooterText the footer, well inside Discord's
	// limits so that the excerpts keep most of the 6,000 characters.
	maxNameTitle  = 100
	maxNameID     = 40
	maxFooterText = 200
	// minFieldValue is the least room a citation's excerpt is given.
	minFieldValue = 120
	// notFoundLine is what the bot says when the story does not answer.
	notFoundLine = "The story doesn't say."
)

// RenderAnswer turns an answer into the embed and buttons the bot sends, within
// Discord's limits: the answer sentences with matched words in bold and
// citation markers, one field per citation, a footer naming the corpus and
// when it was indexed, and buttons for more context and feedback. All corpus
// and user text is escaped.
func RenderAnswer(a answer.Answer, info answer.Info) (*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	e := &discordgo.MessageEmbed{
		Type:   discordgo.EmbedTypeRich,
		Title:  escaped(a.Question, maxTitle),
		Color:  colorAnswer,
		Footer: &discordgo.MessageEmbedFooter{Text: footer(info)},
	}
	if e.Title == "" {
		e.Title = "Answer"
	}
	cites := a.Citations
	limit := maxCitations
	if !a.Found {
		e.Color = colorNotFound
		limit = maxSuggestions
	}
	if len(cites) > limit {
		cites = cites[:limit]
	}

	// Field names first: they are short and fixed.
	for _, c := range cites {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: citationName(c)})
	}
	// Each field keeps room for at least an ellipsis.
	room := maxEmbedTotal - embedLen(e) - len(cites)
	descRoom := min(maxDescription, room-len(cites)*minFieldValue)
	e.Description = answerText(a, descRoom)
	room -= textLen(e.Description)
	fillFields(e.Fields, cites, room)
	return e, answerButtons(a, cites)
}

// fillFields quotes each citation in its field, sharing room characters
// among them, at most a field's limit each.
func fillFields(fields []*discordgo.MessageEmbedField, cites []answer.Citation, room int) {
	for i, c := range cites {
		per := min(maxFieldValue, room/(len(cites)-i))
		fields[i].Value = marked(c.Text, c.Marks, per)
		if fields[i].Value == "" {
			fields[i].Value = ellipsis
		}
		room -= textLen(fields[i].Value)
	}
}

// answerText is the embed description of an answer within max characters.
func answerText(a answer.Answer, max int) string {
	var b strings.Builder
	if dym := escaped(a.DidYouMean, max/4); dym != "" {
		b.WriteString("Did you mean: *" + dym + "*\n\n")
	}
	if !a.Found {
		b.WriteString(notFoundLine)
		if len(a.Citations) > 0 {
			b.WriteString(" The closest passages:")
		}
		return b.String()
	}
	parts := a.Parts
	if len(parts) == 0 && a.Text != "" {
		parts = []answer.Part{{Text: a.Text}}
	}
	for i, p := range parts {
		marker := ""
		if p.Citation > 0 {
			marker = " [" + strconv.Itoa(p.Citation) + "]"
		}
		sep := ""
		if i > 0 {
			sep = " "
		}
		room := max - textLen(b.String()) - textLen(sep+marker)
		if room < 20 {
			break
		}
		text := marked(p.Text, p.Marks, room)
		b.WriteString(sep + text + marker)
		if strings.HasSuffix(text, ellipsis) {
			break
		}
	}
	return b.String()
}

// citationName is a citation's field name: "[1] Title · story#5".
func citationName(c answer.Citation) string {
	id := escaped(c.Passage, maxNameID)
	prefix := "[" + strconv.Itoa(c.N) + "] "
	title := escaped(c.Title, maxNameTitle)
	if title == "" {
		return prefix + id
	}
	return prefix + title + " · " + id
}

// footer names the corpus and when it was indexed.
func footer(info answer.Info) string {
	parts := []string{"storybot"}
	if info.Corpus != "" {
		parts = append(parts, info.Corpus)
	}
	if info.Passages > 0 {
		parts = append(parts, plural(info.Passages, "passage"))
	}
	if !info.Indexed.IsZero() {
		parts = append(parts, "indexed "+info.Indexed.UTC().Format("2 Jan 2006 15:04 UTC"))
	}
	return plainCut(strings.Join(parts, " · "), maxFooterText)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// answerButtons are the More context buttons for the cited passages and the
// feedback buttons.
func answerButtons(a answer.Answer, cites []answer.Citation) []discordgo.MessageComponent {
	var row []discordgo.MessageComponent
	var ids []string
	for _, c := range cites {
		ids = append(ids, c.Passage)
	}
	shown := cites
	if a.Found {
		// Only the passages the answer sentences come from.
		used := map[int]bool{}
		for _, p := range a.Parts {
			used[p.Citation] = true
		}
		shown = nil
		for _, c := range cites {
			if used[c.N] || len(a.Parts) == 0 {
				shown = append(shown, c)
			}
		}
	}
	n := 0
	for _, c := range shown {
		id := contextID(c.Passage)
		if id == "" || n == maxContextButtons {
			continue
		}
		label := "More context"
		if len(shown) > 1 {
			label += " [" + strconv.Itoa(c.N) + "]"
		}
		row = append(row, discordgo.Button{Label: label, Style: discordgo.SecondaryButton, CustomID: id})
		n++
	}
	row = append(row,
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: "👍"}, Style: discordgo.SecondaryButton, CustomID: feedbackID(true, ids)},
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: "👎"}, Style: discordgo.SecondaryButton, CustomID: feedbackID(false, ids)},
	)
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}

// RenderResults renders one page of a plain lookup, with buttons to page.
func RenderResults(query string, from, size int, r answer.Results, info answer.Info) (*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	e := &discordgo.MessageEmbed{
		Type:   discordgo.EmbedTypeRich,
		Title:  "Search: " + escaped(query, maxTitle-8),
		Color:  colorLookup,
		Footer: &discordgo.MessageEmbedFooter{Text: footer(info)},
	}
	if r.Total == 0 || len(r.Hits) == 0 {
		e.Description = "Nothing in the story matches that."
		if from > 0 && r.Total > 0 {
			e.Description = "No more results."
		}
		return e, nil
	}
	hits := r.Hits
	if len(hits) > maxCitations {
		hits = hits[:maxCitations]
	}
	e.Description = fmt.Sprintf("Results %d–%d of %d", from+1, from+len(hits), r.Total)
	for _, h := range hits {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: citationName(h)})
	}
	fillFields(e.Fields, hits, maxEmbedTotal-embedLen(e)-len(hits))
	prev := discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: pageID(max(from-size, 0), query), Disabled: from == 0}
	next := discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, CustomID: pageID(from+size, query), Disabled: from+len(r.Hits) >= r.Total}
	if prev.CustomID == next.CustomID {
		// Cannot happen with size > 0; Discord rejects duplicate custom IDs.
		next.CustomID += "+"
	}
	return e, []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{prev, next}}}
}

// RenderWindow renders a passage with its neighbours.
func RenderWindow(w answer.Window, info answer.Info) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{
		Type:   discordgo.EmbedTypeRich,
		Color:  colorLookup,
		Footer: &discordgo.MessageEmbedFooter{Text: footer(info)},
	}
	if w.Passage == nil {
		e.Description = "No such passage."
		return e
	}
	id := escaped(w.Passage.ID, 100)
	e.Title = escaped(w.Title, maxTitle-textLen(id)-3) + " · " + id
	if w.Title == "" {
		e.Title = id
	}
	neighbour := func(label string, p *corpus.Passage) {
		if p == nil {
			return
		}
		name := label + " · " + escaped(p.ID, 100)
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name})
	}
	neighbour("Before", w.Before)
	neighbour("After", w.After)
	room := maxEmbedTotal - embedLen(e) - len(e.Fields)
	e.Description = escaped(w.Passage.Text, min(maxDescription, room-len(e.Fields)*minFieldValue))
	room -= textLen(e.Description)
	texts := []*corpus.Passage{w.Before, w.After}
	i := 0
	for _, p := range texts {
		if p == nil {
			continue
		}
		per := min(maxFieldValue, room/(len(e.Fields)-i))
		e.Fields[i].Value = escaped(p.Text, per)
		if e.Fields[i].Value == "" {
			e.Fields[i].Value = ellipsis
		}
		room -= textLen(e.Fields[i].Value)
		i++
	}
	return e
}

// RenderAbout says what the bot knows and how to ask.
func RenderAbout(info answer.Info) *discordgo.MessageEmbed {
	var b strings.Builder
	b.WriteString("I answer questions about the story with excerpts quoted word for word, each cited by its passage. ")
	b.WriteString("When the story does not say, I say so.\n\n")
	fmt.Fprintf(&b, "**Corpus:** %s\n", escaped(info.Corpus, 200))
	folder := "the built-in story"
	if info.Folder != "" {
		folder = escaped(info.Folder, 300)
	}
	fmt.Fprintf(&b, "**Corpus folder:** %s\n", folder)
	fmt.Fprintf(&b, "**Documents:** %d · **Passages:** %d\n", info.Documents, info.Passages)
	if !info.Indexed.IsZero() {
		fmt.Fprintf(&b, "**Indexed:** <t:%d:f>\n", info.Indexed.Unix())
	}
	if info.LastChange != nil {
		fmt.Fprintf(&b, "**Last change:** %s\n", aboutChange(info.LastChange))
	}
	b.WriteString("\n" + howTo)
	return &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       "About storybot",
		Description: b.String(),
		Color:       colorAnswer,
		Footer:      &discordgo.MessageEmbedFooter{Text: footer(info)},
	}
}

// howTo explains the ways to ask.
const howTo = "**How to ask**\n" +
	"• `/ask question:` followed by your question (add `private:True` to see the answer alone)\n" +
	"• mention me with a question in a channel, or write to me in a DM\n" +
	"• right-click a message → Apps → **Ask the story**\n" +
	"• `/search query:` to look up passages, `/passage id:` to read one"

// embedLen is the total of an embed's texts, as Discord counts towards 6,000.
func embedLen(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	for _, f := range e.Fields {
		n += textLen(f.Name) + textLen(f.Value)
	}
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += textLen(e.Author.Name)
	}
	return n
}

// maxListed is how many documents /corpus list shows at most; the rest are
// counted ("and 3 more"). Each takes a line of the embed's description.
const maxListed = 50

// RenderDocuments lists the documents of the corpus, a line each: title, ID,
// size, passages and when the file was last changed, within an embed's
// description; documents beyond what fits are counted.
func RenderDocuments(docs []answer.Document) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Title: "Documents of the corpus",
		Color: colorLookup,
	}
	if len(docs) == 0 {
		e.Description = "The corpus has no documents."
		return e
	}
	total, passages := int64(0), 0
	for _, d := range docs {
		total += d.Size
		passages += d.Passages
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("%s · %s · %s",
		plural(len(docs), "document"), plural(passages, "passage"), byteSize(total))}
	var b strings.Builder
	for k, d := range docs {
		line := documentLine(d) + "\n"
		more := len(docs) - k
		// Room is kept for the line that counts the rest.
		tail := fmt.Sprintf("… and %d more", more)
		if k == maxListed || textLen(b.String())+textLen(line)+textLen(tail) > maxDescription {
			b.WriteString(tail)
			break
		}
		b.WriteString(line)
	}
	e.Description = strings.TrimSuffix(b.String(), "\n")
	return e
}

// documentLine is one document of /corpus list.
func documentLine(d answer.Document) string {
	title := escaped(d.Title, maxNameTitle)
	if title == "" {
		title = "(untitled)"
	}
	line := "**" + title + "** · " + escaped(d.ID, maxNameTitle) + " · " + byteSize(d.Size) + " · " + plural(d.Passages, "passage")
	if !d.Modified.IsZero() {
		line += fmt.Sprintf(" · changed <t:%d:R>", d.Modified.Unix())
	}
	return line
}

// byteSize is a size for people: "812 B", "14.2 KiB", "3.1 MiB".
func byteSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// aboutChange describes the last change to the corpus for /about.
func aboutChange(c *answer.Change) string {
	who := escaped(c.Who.Name, 100)
	if who == "" {
		who = "someone"
	}
	what := c.Action
	if c.Target != "" {
		what += " " + escaped(c.Target, maxNameTitle)
	}
	s := fmt.Sprintf("%s by %s", escaped(what, maxNameTitle+20), who)
	if !c.Time.IsZero() {
		s += fmt.Sprintf(", <t:%d:f>", c.Time.Unix())
	}
	if c.OK {
		return s + ": done"
	}
	reason := escaped(c.Error, 300)
	if reason == "" {
		return s + ": failed"
	}
	return s + ": failed (" + reason + ")"
}
