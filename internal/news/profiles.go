package news

import (
	"net/url"
	"strings"
)

// ProfileLinks names the newspaper's profiles elsewhere by their service,
// or by their site when it is not a well-known one.
func ProfileLinks(urls []string) []MenuLink {
	out := make([]MenuLink, 0, len(urls))
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		label, ok := socialServices[host]
		switch {
		case ok:
		case strings.HasPrefix(u.Path, "/@"): // the Fediverse's way of naming an account
			label = "Mastodon"
		default:
			label = host
		}
		out = append(out, MenuLink{Label: label, URL: raw})
	}
	return out
}

var socialServices = map[string]string{
	"bsky.app": "Bluesky", "x.com": "X", "twitter.com": "X", "facebook.com": "Facebook", "instagram.com": "Instagram",
	"linkedin.com": "LinkedIn", "youtube.com": "YouTube", "tiktok.com": "TikTok", "threads.net": "Threads",
	"mastodon.social": "Mastodon", "github.com": "GitHub", "whatsapp.com": "WhatsApp", "t.me": "Telegram",
}
