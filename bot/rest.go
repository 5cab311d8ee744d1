package bot

import "github.com/bwmarrin/discordgo"

// rest is what the handlers need of Discord's REST API: the calls they
// make, and nothing of the gateway, so that the HTTP interactions endpoint
// serves them with no gateway connection. A *discordgo.Session serves it,
// with the bot token it was made with.
type rest interface {
	InteractionRespond(i *discordgo.Interaction, r *discordgo.InteractionResponse, options ...discordgo.RequestOption) error
	InteractionResponseEdit(i *discordgo.Interaction, edit *discordgo.WebhookEdit, options ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionResponseDelete(i *discordgo.Interaction, options ...discordgo.RequestOption) error
	FollowupMessageCreate(i *discordgo.Interaction, wait bool, data *discordgo.WebhookParams, options ...discordgo.RequestOption) (*discordgo.Message, error)
	ChannelMessageSendComplex(channelID string, data *discordgo.MessageSend, options ...discordgo.RequestOption) (*discordgo.Message, error)
	ApplicationCommandBulkOverwrite(appID, guildID string, cmds []*discordgo.ApplicationCommand, options ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error)
	// Application("@me") is the bot's own application, for its ID when
	// the configuration gives none (HTTP mode; the gateway's READY has it).
	Application(appID string) (*discordgo.Application, error)
}

var _ rest = (*discordgo.Session)(nil)
