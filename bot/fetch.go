package bot

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/corpus"
)

// The origins attachments are downloaded from by default (Config.CDN):
// Discord's CDN and its media proxy, over HTTPS.
const (
	CDNOrigin   = "https://cdn.discordapp.com"
	MediaOrigin = "https://media.discordapp.net"
)

// DefaultFetchTimeout bounds the download of one attachment.
const DefaultFetchTimeout = 60 * time.Second

// maxRedirects is how many redirects a download follows, each within the
// CDN origins.
const maxRedirects = 3

// newFetchClient is the HTTP client attachments are downloaded with: it
// follows a redirect only to one of origins, and at most maxRedirects.
func newFetchClient(origins []string) *http.Client {
	return &http.Client{
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("%w: more than %d redirects", errDownload, maxRedirects)
			}
			if !onCDN(req.URL, origins) {
				return fmt.Errorf("%w: redirected to %s", errOffCDN, req.URL.Redacted())
			}
			return nil
		},
	}
}

// onCDN reports whether u is on one of origins ("https://cdn.discordapp.com"):
// the same scheme and host, port included, and no user info.
func onCDN(u *url.URL, origins []string) bool {
	if u == nil || u.User != nil || u.Host == "" {
		return false
	}
	origin := strings.ToLower(u.Scheme + "://" + u.Host)
	return slices.ContainsFunc(origins, func(o string) bool {
		return strings.ToLower(strings.TrimSuffix(o, "/")) == origin
	})
}

// fetch downloads an attachment from Discord's CDN within FetchTimeout: at
// most corpus.MaxFileSize bytes, whatever the attachment says its size is.
func (b *Bot) fetch(ctx context.Context, a *discordgo.MessageAttachment) ([]byte, error) {
	raw := a.URL
	if raw == "" {
		raw = a.ProxyURL
	}
	u, err := url.Parse(raw)
	if err != nil || !onCDN(u, b.cfg.CDN) {
		return nil, fmt.Errorf("download %q: %w", a.Filename, errOffCDN)
	}
	ctx, cancel := context.WithTimeout(ctx, b.cfg.FetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("download %q: %w: %v", a.Filename, errDownload, err)
	}
	resp, err := b.fetcher.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %q: %w: %w", a.Filename, errDownload, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %q: %w: %s", a.Filename, errDownload, resp.Status)
	}
	if resp.ContentLength > corpus.MaxFileSize {
		return nil, fmt.Errorf("download %q: %w (%d bytes)", a.Filename, errAttachmentTooLarge, resp.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, corpus.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("download %q: %w: %w", a.Filename, errDownload, err)
	}
	if len(body) > corpus.MaxFileSize {
		return nil, fmt.Errorf("download %q: %w (more than %d bytes)", a.Filename, errAttachmentTooLarge, corpus.MaxFileSize)
	}
	return body, nil
}
