package markup

import (
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
)

// Embeds. A paragraph holding nothing but the address of a post, a video,
// a track, a map or a document from a known provider is shown as that
// thing. On the reader's page it is a click-to-load facade: the provider's
// name, the address as a link that works without JavaScript, and a button
// that site.js turns into the provider's <iframe>. Until the reader clicks,
// the page asks the provider for nothing (no thumbnail, no script, no
// font), so a reader who does not want a video does not tell its host they
// were here. The page's Content-Security-Policy allows frames from the
// providers the article embeds and no others (see FrameOrigins).
//
// The table below is the whole of what Masthead knows about providers.
// Each entry turns a URL it recognises into the provider's documented
// iframe address; a URL it recognises but cannot embed without asking the
// provider (a Bluesky post named by handle, a shortened map link) is shown
// as a link-only card. Recognition is strict: http or https, no user
// information, no port, an exact host from the entry's list, and
// identifiers checked character by character, so a look-alike host or an
// odd path is an ordinary link, never a frame.

// Provider is a site whose content an article may embed.
type Provider struct {
	Key  string // stable, lower case: the facade's data-embed attribute
	Name string // for readers: "YouTube"
	// Hosts are the exact lower-case host names the provider answers on;
	// none for the providers that live on any host (Mastodon, PDF).
	Hosts []string
	// Allow is the iframe's allow attribute: the browser features the
	// frame may use, nothing else.
	Allow string
	// Unsandboxed is set for the one kind of frame a sandbox breaks:
	// browsers refuse to show a PDF in a sandboxed frame.
	Unsandboxed bool
	match       func(u *url.URL) (embedMatch, bool)
}

// embedMatch is what a provider makes of a URL.
type embedMatch struct {
	frame string // the iframe's src; "" for a link-only card
	what  string // "video", "post" …, after the provider's name
	shape string // the frame's proportions, a CSS class (see site.css)
}

// Embed is a URL that a body shows as an embed.
type Embed struct {
	Provider *Provider
	URL      string // the address as written (validated)
	Frame    string // the provider's iframe URL; "" for a link-only card
	What     string // what it is, for readers: "video", "post", "map" …
	Shape    string // its frame's proportions (see site.css); "link" without one
}

// Frame shapes; site.css sizes the facade, and so the frame, by them.
const (
	shapeWide  = "wide"  // 16:9 video
	shapeTall  = "tall"  // 9:16 short video
	shapePost  = "post"  // a social media post
	shapeAudio = "audio" // a single track's player
	shapeList  = "list"  // an album's or a playlist's player
	shapeMap   = "map"   // 4:3
	shapeDoc   = "doc"   // a page of a document
	shapeLink  = "link"  // no frame: a link-only card
)

// frameSandbox is what a sandboxed embed may do: run its own scripts in
// its own origin and open the original in a new window. It may not
// navigate this page, submit forms or open modal dialogs.
const frameSandbox = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"

const allowVideo = "fullscreen; picture-in-picture; encrypted-media"

var providers = []*Provider{
	{Key: "youtube", Name: "YouTube", Allow: allowVideo, match: matchYouTube,
		Hosts: []string{"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "youtube-nocookie.com", "www.youtube-nocookie.com"}},
	{Key: "vimeo", Name: "Vimeo", Allow: allowVideo, match: matchVimeo,
		Hosts: []string{"vimeo.com", "www.vimeo.com", "player.vimeo.com"}},
	{Key: "x", Name: "X", match: matchX,
		Hosts: []string{"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com", "mobile.x.com"}},
	{Key: "bluesky", Name: "Bluesky", match: matchBluesky, Hosts: []string{"bsky.app"}},
	{Key: "instagram", Name: "Instagram", match: matchInstagram, Hosts: []string{"instagram.com", "www.instagram.com"}},
	{Key: "tiktok", Name: "TikTok", Allow: allowVideo, match: matchTikTok, Hosts: []string{"tiktok.com", "www.tiktok.com", "m.tiktok.com"}},
	{Key: "spotify", Name: "Spotify", Allow: "encrypted-media", match: matchSpotify, Hosts: []string{"open.spotify.com"}},
	{Key: "soundcloud", Name: "SoundCloud", match: matchSoundCloud, Hosts: []string{"soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"}},
	{Key: "maps", Name: "Google Maps", match: matchMaps,
		Hosts: []string{"google.com", "www.google.com", "maps.google.com", "maps.app.goo.gl"}},
	{Key: "documentcloud", Name: "DocumentCloud", match: matchDocumentCloud,
		Hosts: []string{"documentcloud.org", "www.documentcloud.org", "embed.documentcloud.org"}},
	// Providers on any host come last: a host listed above is never one of
	// them (youtube.com/@someone/123 is not a Mastodon post).
	{Key: "mastodon", Name: "Mastodon", match: matchMastodon},
	{Key: "pdf", Name: "PDF", Unsandboxed: true, match: matchPDF},
}

// providerByHost indexes the table; built once, read only.
var providerByHost = func() map[string]*Provider {
	m := map[string]*Provider{}
	for _, p := range providers {
		for _, h := range p.Hosts {
			m[h] = p
		}
	}
	return m
}()

// maxEmbedURL bounds what is even looked at.
const maxEmbedURL = 2048

// EmbedFor reports whether raw, a URL standing alone in a paragraph, is
// something to embed, and what.
func EmbedFor(raw string) (Embed, bool) {
	u, ok := embeddableURL(raw)
	if !ok {
		return Embed{}, false
	}
	host := u.Hostname()
	if p := providerByHost[host]; p != nil {
		return p.embed(raw, u)
	}
	if !anyHost.MatchString(host) {
		return Embed{}, false
	}
	for _, p := range providers {
		if len(p.Hosts) == 0 {
			if e, ok := p.embed(raw, u); ok {
				return e, true
			}
		}
	}
	return Embed{}, false
}

func (p *Provider) embed(raw string, u *url.URL) (Embed, bool) {
	m, ok := p.match(u)
	if !ok {
		return Embed{}, false
	}
	if m.frame == "" {
		m.shape = shapeLink
	}
	return Embed{Provider: p, URL: raw, Frame: m.frame, What: m.what, Shape: m.shape}, true
}

// anyHost is a host name a provider on any host may have: ASCII labels
// (an international name arrives as punycode) and a top-level domain of
// letters, so neither an IP address nor a single-label intranet name.
var anyHost = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$`)

// embeddableURL parses raw and checks what every embed needs: http or
// https, a host and nothing that hides one (user information, a port, a
// trailing dot, characters a browser would drop or re-read). The host of
// the result is lower case.
func embeddableURL(raw string) (*url.URL, bool) {
	if raw == "" || len(raw) > maxEmbedURL || !utf8.ValidString(raw) {
		return nil, false
	}
	for _, c := range raw {
		if c <= ' ' || c == 0x7f || c == '\\' || c == '"' || c == '<' || c == '>' || c > 0x7e {
			return nil, false
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.User != nil || u.Port() != "" || strings.Contains(u.Host, "@") {
		return nil, false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, false
	}
	u.Host = strings.ToLower(u.Host)
	// Port() is empty for "host:" too; a frame must not carry that colon.
	if u.Host == "" || strings.HasSuffix(u.Host, ".") || strings.Contains(u.Host, ":") {
		return nil, false
	}
	return u, true
}

// pathParts splits a URL's path into its non-empty segments.
func pathParts(u *url.URL) []string {
	return strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
}

var (
	youtubeID  = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	digits     = regexp.MustCompile(`^[0-9]{1,20}$`)
	vimeoHash  = regexp.MustCompile(`^[0-9a-f]{6,20}$`)
	handle     = regexp.MustCompile(`^[A-Za-z0-9_]{1,30}$`)
	shortcode  = regexp.MustCompile(`^[A-Za-z0-9_-]{5,40}$`)
	spotifyID  = regexp.MustCompile(`^[A-Za-z0-9]{22}$`)
	slugPart   = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
	docCloudID = regexp.MustCompile(`^[0-9]{1,12}-[A-Za-z0-9_-]{1,200}$`)
	blueskyDID = regexp.MustCompile(`^did:(?:plc:[a-z2-7]{24}|web:[a-z0-9.-]{1,253})$`)
	blueskyRef = regexp.MustCompile(`^(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$|^did:(?:plc:[a-z2-7]{24}|web:[a-z0-9.-]{1,253})$`)
	recordKey  = regexp.MustCompile(`^[A-Za-z0-9._~-]{1,64}$`)
	timestamp  = regexp.MustCompile(`^(?:([0-9]{1,2})h)?(?:([0-9]{1,4})m)?(?:([0-9]{1,6})s?)?$`)
	mapsSpot   = regexp.MustCompile(`^@(-?[0-9]{1,3}(?:\.[0-9]+)?),(-?[0-9]{1,3}(?:\.[0-9]+)?)(?:,([0-9]{1,2}(?:\.[0-9]+)?)z)?`)
	mapsPB     = regexp.MustCompile(`^[A-Za-z0-9!._:%-]+$`)
)

func matchYouTube(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	var id string
	shape := shapeWide
	switch {
	case u.Host == "youtu.be" && len(parts) == 1:
		id = parts[0]
	case len(parts) == 1 && parts[0] == "watch":
		id = u.Query().Get("v")
	case len(parts) == 2 && (parts[0] == "embed" || parts[0] == "live" || parts[0] == "v"):
		id = parts[1]
	case len(parts) == 2 && parts[0] == "shorts":
		id, shape = parts[1], shapeTall
	}
	if !youtubeID.MatchString(id) {
		return embedMatch{}, false
	}
	frame := "https://www.youtube-nocookie.com/embed/" + id
	q := u.Query()
	if start := youtubeStart(q.Get("t") + q.Get("start")); start > 0 {
		frame += "?start=" + strconv.Itoa(start)
	}
	return embedMatch{frame: frame, what: "video", shape: shape}, true
}

// youtubeStart reads a start time ("90", "90s", "1m30s", "1h2m3s") in
// seconds; 0 when there is none or it cannot be read.
func youtubeStart(t string) int {
	m := timestamp.FindStringSubmatch(t)
	if t == "" || m == nil {
		return 0
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	return n(m[1])*3600 + n(m[2])*60 + n(m[3])
}

func matchVimeo(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	var id, hash string
	switch {
	case u.Host == "player.vimeo.com" && len(parts) == 2 && parts[0] == "video":
		id, hash = parts[1], u.Query().Get("h")
	case u.Host == "player.vimeo.com":
	case len(parts) == 1:
		id = parts[0]
	case len(parts) == 2 && digits.MatchString(parts[0]):
		id, hash = parts[0], parts[1] // an unlisted video's private link
	case len(parts) == 3 && parts[0] == "channels":
		id = parts[2]
	case len(parts) == 4 && parts[0] == "groups" && parts[2] == "videos":
		id = parts[3]
	}
	if !digits.MatchString(id) || (hash != "" && !vimeoHash.MatchString(hash)) {
		return embedMatch{}, false
	}
	frame := "https://player.vimeo.com/video/" + id + "?dnt=1"
	if hash != "" {
		frame += "&h=" + hash
	}
	return embedMatch{frame: frame, what: "video", shape: shapeWide}, true
}

func matchX(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	var id string
	switch {
	case len(parts) == 3 && handle.MatchString(parts[0]) && parts[1] == "status":
		id = parts[2]
	case len(parts) == 4 && parts[0] == "i" && parts[1] == "web" && parts[2] == "status":
		id = parts[3]
	}
	if !digits.MatchString(id) {
		return embedMatch{}, false
	}
	return embedMatch{frame: "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=" + id, what: "post", shape: shapePost}, true
}

// matchBluesky embeds a post named by its author's DID. A post named by
// handle would need the DID looked up at Bluesky, which a page does not do
// on its readers' behalf, so it is a link-only card.
func matchBluesky(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	if len(parts) != 4 || parts[0] != "profile" || parts[2] != "post" || !recordKey.MatchString(parts[3]) {
		return embedMatch{}, false
	}
	author, err := url.PathUnescape(parts[1])
	if err != nil || !blueskyRef.MatchString(author) {
		return embedMatch{}, false
	}
	m := embedMatch{what: "post", shape: shapePost}
	if blueskyDID.MatchString(author) {
		m.frame = "https://embed.bsky.app/embed/" + author + "/app.bsky.feed.post/" + parts[3]
	}
	return m, true
}

func matchInstagram(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	if len(parts) == 3 && handle.MatchString(strings.ReplaceAll(parts[0], ".", "_")) {
		parts = parts[1:] // instagram.com/<user>/p/<code>/
	}
	if len(parts) != 2 || (parts[0] != "p" && parts[0] != "reel" && parts[0] != "tv") || !shortcode.MatchString(parts[1]) {
		return embedMatch{}, false
	}
	return embedMatch{frame: "https://www.instagram.com/p/" + parts[1] + "/embed", what: "post", shape: shapePost}, true
}

func matchTikTok(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	var id string
	switch {
	case len(parts) == 3 && strings.HasPrefix(parts[0], "@") && handle.MatchString(strings.ReplaceAll(parts[0][1:], ".", "_")) && parts[1] == "video":
		id = parts[2]
	case len(parts) == 3 && parts[0] == "embed" && parts[1] == "v2":
		id = parts[2]
	}
	if !digits.MatchString(id) {
		return embedMatch{}, false
	}
	return embedMatch{frame: "https://www.tiktok.com/embed/v2/" + id, what: "video", shape: shapeTall}, true
}

func matchSpotify(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	if len(parts) > 0 && (parts[0] == "embed" || strings.HasPrefix(parts[0], "intl-")) {
		parts = parts[1:]
	}
	if len(parts) != 2 || !spotifyID.MatchString(parts[1]) {
		return embedMatch{}, false
	}
	shape := shapeList
	switch parts[0] {
	case "track", "episode":
		shape = shapeAudio
	case "album", "playlist", "show", "artist":
	default:
		return embedMatch{}, false
	}
	return embedMatch{frame: "https://open.spotify.com/embed/" + parts[0] + "/" + parts[1], what: parts[0], shape: shape}, true
}

func matchSoundCloud(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	what, shape := "track", shapeAudio
	switch {
	case len(parts) == 2:
	case len(parts) == 3 && parts[1] == "sets":
		what, shape = "playlist", shapeList
	default:
		return embedMatch{}, false
	}
	for _, p := range parts {
		if !slugPart.MatchString(p) {
			return embedMatch{}, false
		}
	}
	switch parts[1] {
	case "likes", "followers", "following", "tracks", "albums", "reposts", "popular-tracks", "comments":
		return embedMatch{}, false // a profile's page, not something to play
	}
	track := "https://soundcloud.com/" + strings.Join(parts, "/")
	return embedMatch{frame: "https://w.soundcloud.com/player/?url=" + url.QueryEscape(track), what: what, shape: shape}, true
}

// matchMaps embeds a Google Maps place, search or spot. The map is asked
// for by its query (the key-less embed); a map already shared as an embed
// address keeps its own parameters. A shortened link cannot be read
// without asking Google, so it is a link-only card.
func matchMaps(u *url.URL) (embedMatch, bool) {
	m := embedMatch{what: "map", shape: shapeMap}
	if u.Host == "maps.app.goo.gl" {
		return m, len(pathParts(u)) == 1 && slugPart.MatchString(pathParts(u)[0])
	}
	parts := pathParts(u)
	if u.Host != "maps.google.com" {
		if len(parts) == 0 || parts[0] != "maps" {
			return embedMatch{}, false
		}
		parts = parts[1:]
	} else if len(parts) > 0 && parts[0] == "maps" {
		parts = parts[1:]
	}
	var query, zoom string
	switch {
	case len(parts) == 1 && parts[0] == "embed":
		pb := u.Query().Get("pb")
		if len(pb) > 1500 || !mapsPB.MatchString(pb) {
			return embedMatch{}, false
		}
		m.frame = "https://www.google.com/maps/embed?pb=" + url.QueryEscape(pb)
		return m, true
	case len(parts) == 0:
		query = u.Query().Get("q")
	case len(parts) >= 2 && (parts[0] == "place" || parts[0] == "search"):
		query = parts[1]
	case len(parts) >= 1:
		if s := mapsSpot.FindStringSubmatch(parts[0]); s != nil {
			query, zoom = s[1]+","+s[2], s[3]
		}
	}
	query = strings.TrimSpace(strings.ReplaceAll(query, "+", " "))
	if query == "" || len(query) > 200 {
		return embedMatch{}, false
	}
	m.frame = "https://www.google.com/maps?output=embed&q=" + url.QueryEscape(query)
	if zoom != "" {
		z, _, _ := strings.Cut(zoom, ".")
		m.frame += "&z=" + z
	}
	return m, true
}

func matchDocumentCloud(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	if len(parts) != 2 || parts[0] != "documents" {
		return embedMatch{}, false
	}
	id := strings.TrimSuffix(parts[1], ".html")
	if !docCloudID.MatchString(id) {
		return embedMatch{}, false
	}
	return embedMatch{frame: "https://embed.documentcloud.org/documents/" + id + "/?embed=1&title=1", what: "document", shape: shapeDoc}, true
}

// matchMastodon embeds a post on any Mastodon server: only the exact shape
// of a post's address (https://host/@user/123456), nothing looser.
func matchMastodon(u *url.URL) (embedMatch, bool) {
	parts := pathParts(u)
	if u.Scheme != "https" || u.RawQuery != "" || len(parts) != 2 || !strings.HasPrefix(parts[0], "@") ||
		!handle.MatchString(parts[0][1:]) || !digits.MatchString(parts[1]) || strings.Contains(u.Path, "//") {
		return embedMatch{}, false
	}
	return embedMatch{frame: "https://" + u.Host + "/" + parts[0] + "/" + parts[1] + "/embed", what: "post", shape: shapePost}, true
}

// matchPDF embeds a PDF from any host, shown by the reader's browser.
func matchPDF(u *url.URL) (embedMatch, bool) {
	if u.Scheme != "https" || !strings.HasSuffix(strings.ToLower(u.Path), ".pdf") {
		return embedMatch{}, false
	}
	frame := *u
	frame.Fragment, frame.RawFragment = "", ""
	return embedMatch{frame: frame.String(), what: "document", shape: shapeDoc}, true
}

// facade is the embed's click-to-load markup. id names its caption, which
// describes the load button. Everything the writer typed is escaped; the
// rest comes from the table.
func (e Embed) facade(id string) string {
	p := e.Provider
	var b strings.Builder
	b.WriteString(`<figure class="embed embed-` + e.Shape + `" data-embed="` + p.Key + `">`)
	if e.Frame != "" {
		b.WriteString(`<div class="embed-box" data-embed-src="` + html.EscapeString(e.Frame) +
			`" data-embed-title="` + html.EscapeString(e.label()+": "+displayURL(e.URL)) + `"`)
		if p.Allow != "" {
			b.WriteString(` data-embed-allow="` + p.Allow + `"`)
		}
		if !p.Unsandboxed {
			b.WriteString(` data-embed-sandbox="` + frameSandbox + `"`)
		}
		b.WriteString(`><p class="embed-note">This ` + html.EscapeString(e.What) + ` is on ` + html.EscapeString(e.source()) +
			`. Nothing is loaded from there until you ask.</p><button type="button" class="embed-load" aria-describedby="` +
			id + `" hidden>Load ` + html.EscapeString(p.Name) + ` content</button></div>`)
	}
	b.WriteString(`<figcaption id="` + id + `"><span class="embed-provider">` + html.EscapeString(e.label()) +
		`</span> <a href="` + html.EscapeString(e.URL) + `">` + html.EscapeString(displayURL(e.URL)) + `</a></figcaption></figure>`)
	return b.String()
}

// label names the embed for readers: "YouTube video", "Google Maps".
func (e Embed) label() string {
	if strings.Contains(strings.ToLower(e.Provider.Name), e.What) {
		return e.Provider.Name
	}
	return e.Provider.Name + " " + e.What
}

// source is where the embed's frame comes from: the provider, or for a
// provider on any host, the host.
func (e Embed) source() string {
	if len(e.Provider.Hosts) > 0 {
		return e.Provider.Name
	}
	u, err := url.Parse(e.Frame)
	if err != nil {
		return e.Provider.Name
	}
	return strings.TrimPrefix(u.Host, "www.")
}

// displayURL is an address as a reader reads it: host and path, without
// the scheme or "www."; the query only when the path alone names nothing
// (youtube.com/watch?v=…), so tracking parameters are not shown; long ones
// shortened at the end.
func displayURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	s := strings.TrimPrefix(u.Host, "www.") + strings.TrimSuffix(u.EscapedPath(), "/")
	if u.RawQuery != "" && len(pathParts(u)) <= 1 {
		s += "?" + u.RawQuery
	}
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:59]) + "…"
	}
	return s
}

// facadeBox matches the click-to-load part of a facade as facade writes
// it: nothing a writer typed is inside, so it holds no other </div>.
var facadeBox = regexp.MustCompile(`<div class="embed-box" data-embed-src="[^"]*"[^>]*>.*?</div>`)

// WithoutFacades is body (HTML made by Article) for reading away from the
// site, in a feed reader, where no script loads a frame: each embed keeps
// its caption, the provider's name and a link to the original, and loses
// its button.
func WithoutFacades(body string) string {
	if !strings.Contains(body, `<div class="embed-box"`) {
		return body
	}
	return facadeBox.ReplaceAllString(body, "")
}

// FrameOrigins lists the origins of the frames that the embeds in body
// (HTML made by Article) may load, sorted and each once: what a page
// showing body must allow as frame-src. It reads the facades' data
// attributes, which only Article writes (the sanitiser strips any a
// writer types), and checks each address again.
func FrameOrigins(body string) []string {
	if !strings.Contains(body, "data-embed-src") {
		return nil // the common case, without parsing
	}
	var origins []string
	z := nethtml.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			break
		}
		if tt != nethtml.StartTagToken {
			continue
		}
		for _, a := range z.Token().Attr {
			if a.Key != "data-embed-src" {
				continue
			}
			u, ok := embeddableURL(a.Val)
			if ok && u.Scheme == "https" && anyHost.MatchString(u.Host) {
				origins = append(origins, "https://"+u.Host)
			}
		}
	}
	slices.Sort(origins)
	return slices.Compact(origins)
}
