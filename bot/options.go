package bot

import "github.com/bwmarrin/discordgo"

// Discord sends every option with the type the command declares, but a
// forged or damaged payload may carry no data, options of another type or
// shape, or none at all. discordgo's accessors (ApplicationCommandData,
// StringValue, …) panic on those; these report them instead, and the user is
// given the command's usage hint.

// What users are told about a command or button they could not have sent.
const (
	msgPassageHow = "Choose a passage: type `/passage id:` and start typing a title or a passage ID (`story#5`), then pick one."
	msgNoPage     = "That page of results isn't there any more. Try `/search` again."
)

// commandData is an application command's or autocomplete's data; ok is
// false when the interaction has none.
func commandData(i *discordgo.Interaction) (data discordgo.ApplicationCommandInteractionData, ok bool) {
	if i.Type != discordgo.InteractionApplicationCommand && i.Type != discordgo.InteractionApplicationCommandAutocomplete {
		return data, false
	}
	data, ok = i.Data.(discordgo.ApplicationCommandInteractionData)
	return data, ok
}

// componentData is a button's data; ok is false when the interaction has none.
func componentData(i *discordgo.Interaction) (data discordgo.MessageComponentInteractionData, ok bool) {
	if i.Type != discordgo.InteractionMessageComponent {
		return data, false
	}
	data, ok = i.Data.(discordgo.MessageComponentInteractionData)
	return data, ok
}

// option finds a top-level option by name.
func option(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o != nil && o.Name == name {
			return o
		}
	}
	return nil
}

// stringOption is a string option's value: "" when it is absent; ok is false
// when it is present with another type.
func stringOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (value string, ok bool) {
	o := option(opts, name)
	if o == nil {
		return "", true
	}
	value, ok = o.Value.(string)
	return value, ok && o.Type == discordgo.ApplicationCommandOptionString
}

// boolOption is a boolean option's value: false when it is absent; ok is
// false when it is present with another type.
func boolOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (value bool, ok bool) {
	o := option(opts, name)
	if o == nil {
		return false, true
	}
	value, ok = o.Value.(bool)
	return value, ok && o.Type == discordgo.ApplicationCommandOptionBoolean
}

// focusedText is what the user has typed so far in an autocomplete's focused
// option, a subcommand's included; ok is false when there is no such text
// option.
func focusedText(i *discordgo.Interaction) (value string, ok bool) {
	data, _ := commandData(i)
	_, opts := subcommand(data)
	for _, o := range opts {
		if o != nil && o.Focused {
			value, ok = o.Value.(string)
			return value, ok && o.Type == discordgo.ApplicationCommandOptionString
		}
	}
	return "", false
}

// hasButton reports whether a message has a button with a custom ID.
func hasButton(m *discordgo.Message, customID string) bool {
	if m == nil {
		return false
	}
	var has func(cs []discordgo.MessageComponent) bool
	has = func(cs []discordgo.MessageComponent) bool {
		for _, c := range cs {
			switch c := c.(type) {
			case *discordgo.ActionsRow:
				if has(c.Components) {
					return true
				}
			case *discordgo.Button:
				if c.CustomID == customID {
					return true
				}
			}
		}
		return false
	}
	return has(m.Components)
}
