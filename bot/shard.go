package bot

import (
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// ErrShard is returned by Run for a shard outside its count.
var ErrShard = errors.New("shard ID must be at least 0 and less than the shard count")

// shard makes the session's gateway connection the configured shard.
// Discord sends each shard the events of the guilds whose ID modulo the
// count is its shard ID, and DMs to shard 0; every shard registers the
// same commands (a bulk overwrite changes nothing the second time).
func (b *Bot) shard(s *discordgo.Session) error {
	id, n := b.cfg.ShardID, b.cfg.ShardCount
	if n <= 1 {
		if id != 0 {
			return fmt.Errorf("shard %d of %d: %w", id, n, ErrShard)
		}
		return nil
	}
	if id < 0 || id >= n {
		return fmt.Errorf("shard %d of %d: %w", id, n, ErrShard)
	}
	s.ShardID, s.ShardCount = id, n
	return nil
}
