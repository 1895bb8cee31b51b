package news

// The local spam check.
//
// ScoreComment weighs a new reader comment against a handful of signals and
// explains each one, so a moderator looking at the queue sees why a comment
// was held or binned, not just a number. It is a pure function: whatever it
// needs to know beyond the comment (the blocklist, whether the same text was
// seen before, whether the email is a known reader) the caller looks up and
// passes in SpamFacts.
//
// One signal commonly used elsewhere is missing on purpose: timing (a form
// sent implausibly soon after it was served). The time would have to be
// written into the form by the server, but article pages are cached —
// publicly and with validators (ETag/Last-Modified), and by the page cache
// in front of the store — so the stamp in a served form says when the page
// was rendered, not when this visitor opened it. A bot fetching a cached
// page would get an old stamp and pass; a per-request stamp would make every
// article page uncacheable. The honeypot and the per-address rate limit
// cover the same bots without costing the cache.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SpamThreshold is the score at which a comment goes straight to the spam
// folder without a moderator. Below it, a comment with a positive score
// waits for a moderator even when its author is a known reader.
const SpamThreshold = 10

// RepeatWindow is how far back "the same text from someone else" looks.
const RepeatWindow = 24 * time.Hour

// Signal weights. A decisive signal alone exceeds the threshold.
const (
	decisive            = 100
	pointsPerExtraLink  = 2  // for every link after the first
	maxLinkPoints       = 10 // … up to this
	pointsBareLink      = 3  // a link with (almost) nothing around it
	pointsLinkInName    = 5  // a web address as the commenter's name
	pointsBlockedWord   = 6  // each blocklisted word or phrase
	pointsBlockedDomain = 10 // each blocklisted link domain
	pointsRepeatOther   = 5  // the same text from another address recently
	pointsRepeatOthers  = 8  // … from two or more
	pointsRepeatSelf    = 5  // the same text from this address before
	pointsRepeatSelves  = 10 // … twice or more
	pointsShouting      = 3  // mostly capital letters
	pointsPunctuation   = 2  // !!! or ???
	pointsKnownReader   = -5 // the email has approved comments
	pointsStaffEmail    = 5  // a staff account's email on a reader's comment

	// minRepeatRunes: shorter texts ("Thank you!", "Well said.") are
	// repeated innocently by many readers and are not checked for repeats.
	minRepeatRunes = 30
	// minShoutLetters: a short all-caps line ("RIP", "YES!") is not shouting.
	minShoutLetters = 20
	// minTextAroundLink: fewer letters than this besides the links make the
	// comment a bare link.
	minTextAroundLink = 20
)

// SpamSignal is one reason a comment scored what it did.
type SpamSignal struct {
	Rule   string `json:"rule"`   // stable name: "links", "honeypot", "blocked-word" …
	Points int    `json:"points"` // positive looks like spam, negative looks genuine
	Reason string `json:"reason"` // for moderators, in plain words
}

// SpamCheck is the outcome of ScoreComment: the total and its reasons.
type SpamCheck struct {
	Score       int
	Signals     []SpamSignal
	Fingerprint string // TextFingerprint of the body
}

// IsSpam reports whether the score reaches SpamThreshold.
func (sc SpamCheck) IsSpam() bool { return sc.Score >= SpamThreshold }

// Status is where a new reader comment goes: obvious spam to the spam
// folder; anything else that raised a signal to a moderator; a clean
// comment as InitialCommentStatus decides (published at once for a reader
// with approved comments, pending otherwise).
func (sc SpamCheck) Status(approvedBefore bool) CommentStatus {
	switch {
	case sc.IsSpam():
		return CommentSpam
	case sc.Score > 0:
		return CommentPending
	}
	return InitialCommentStatus(approvedBefore)
}

// SpamFacts is what the spam check knows beyond the comment itself.
type SpamFacts struct {
	Honeypot        bool      // the hidden form field was filled in
	ApprovedBefore  bool      // the email has approved reader comments (staff replies do not count)
	StaffEmail      bool      // the email is a staff account's: staff reply from the newsroom, so this may be anyone
	SameTextOthers  int       // comments with the same fingerprint from other emails within RepeatWindow
	SameTextByEmail int       // earlier comments with the same fingerprint from this email
	Blocklist       Blocklist // the newsroom's blocked emails, addresses, words and domains
}

// ScoreComment checks a new reader comment (its Name, Email, Website, Body
// and IP) and explains the score signal by signal.
func ScoreComment(c *Comment, f SpamFacts) SpamCheck {
	sc := SpamCheck{Fingerprint: TextFingerprint(c.Body)}
	add := func(rule string, points int, format string, args ...any) {
		sc.Signals = append(sc.Signals, SpamSignal{Rule: rule, Points: points, Reason: fmt.Sprintf(format, args...)})
		sc.Score += points
	}

	if f.Honeypot {
		add("honeypot", decisive, "The hidden field that only bots see was filled in.")
	}
	if b, ok := f.Blocklist.MatchEmail(c.Email); ok {
		add("blocked-email", decisive, "The email address is blocked (%s).", b.Value)
	}
	if b, ok := f.Blocklist.MatchIP(c.IP); ok {
		add("blocked-ip", decisive, "The network address is blocked (%s).", b.Value)
	}

	links := FindLinks(c.Body)
	prose := linkPattern.ReplaceAllString(c.Body, "") // the text without its links
	if n := len(links); n > 1 {
		add("links", min(pointsPerExtraLink*(n-1), maxLinkPoints), "%d links.", n)
	}
	if len(links) > 0 && countLetters(prose) < minTextAroundLink {
		add("bare-link", pointsBareLink, "Little or no text besides the link.")
	}
	if len(FindLinks(c.Name)) > 0 || strings.Contains(c.Name, "://") {
		add("link-in-name", pointsLinkInName, "The name is a web address.")
	}
	for _, w := range f.Blocklist.MatchWords(c.Name + "\n" + c.Body) {
		add("blocked-word", pointsBlockedWord, "Blocked word “%s”.", w)
	}
	hosts := links
	if c.Website != "" {
		hosts = append(slices.Clone(links), c.Website)
	}
	for _, d := range f.Blocklist.MatchDomains(hosts) {
		add("blocked-domain", pointsBlockedDomain, "Links to blocked domain %s.", d)
	}

	if utf8.RuneCountInString(strings.TrimSpace(c.Body)) >= minRepeatRunes {
		switch n := f.SameTextOthers; {
		case n == 1:
			add("repeat-others", pointsRepeatOther, "The same text came from another address in the last %s.", hours(RepeatWindow))
		case n > 1:
			add("repeat-others", pointsRepeatOthers, "The same text came from %d other comments in the last %s.", n, hours(RepeatWindow))
		}
		switch n := f.SameTextByEmail; {
		case n == 1:
			add("repeat-self", pointsRepeatSelf, "This address posted the same text before.")
		case n > 1:
			add("repeat-self", pointsRepeatSelves, "This address posted the same text %d times before.", n)
		}
	}

	if upper, cased := caseCounts(prose); cased >= minShoutLetters && upper*10 >= cased*7 {
		add("capitals", pointsShouting, "Written mostly in capitals (%d%% of letters).", upper*100/cased)
	}
	if n := len(punctuationRun.FindAllString(c.Body, -1)); n > 0 {
		add("punctuation", pointsPunctuation, "Runs of !!! or ??? (%d).", n)
	}

	switch {
	case f.StaffEmail:
		// Anyone can type a colleague's address; the newsroom's own replies
		// come from the newsroom, signed in.
		add("staff-email", pointsStaffEmail, "The email belongs to a staff account, but staff reply from the newsroom.")
	case f.ApprovedBefore:
		add("known-reader", pointsKnownReader, "This address has approved comments.")
	}
	return sc
}

func hours(d time.Duration) string {
	return fmt.Sprintf("%d hours", int(d.Hours()))
}

// linkPattern finds web addresses as markup.Comment links them, plus
// addresses inside pasted HTML or BBCode (href="…", [url=…]).
var linkPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'\[\]]+`)

var punctuationRun = regexp.MustCompile(`[!?]{3,}`)

// FindLinks returns the web addresses in text, in order.
func FindLinks(text string) []string {
	return linkPattern.FindAllString(text, -1)
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// caseCounts counts the upper-case letters and the letters that have a case
// at all (scripts without capitals never count as shouting).
func caseCounts(s string) (upper, cased int) {
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper++
			cased++
		case unicode.IsLower(r):
			cased++
		}
	}
	return upper, cased
}

// TextFingerprint identifies a comment's text regardless of case, spacing and
// punctuation, so "Great post!!" and "great post" are the same text.
func TextFingerprint(body string) string {
	sum := sha256.Sum256([]byte(strings.Join(words(body), " ")))
	return hex.EncodeToString(sum[:16])
}

// words splits text into lower-case runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

// BlockKind is what a blocklist entry matches.
type BlockKind string

const (
	BlockEmail  BlockKind = "email"  // an address, or every address at "@domain"
	BlockIP     BlockKind = "ip"     // an address, or a range in CIDR notation
	BlockWord   BlockKind = "word"   // a word or phrase, matched as whole words
	BlockDomain BlockKind = "domain" // links to the domain or any subdomain
)

// BlockKinds lists the kinds in the order the newsroom shows them.
var BlockKinds = []BlockKind{BlockEmail, BlockIP, BlockWord, BlockDomain}

// ValidBlockKind reports whether k is a known kind.
func ValidBlockKind(k BlockKind) bool { return slices.Contains(BlockKinds, k) }

// MaxBlockValueLen and MaxBlockNoteLen limit what an editor may enter.
const (
	MaxBlockValueLen = 254
	MaxBlockNoteLen  = 200
)

// Block is one entry of the newsroom's blocklist. Comments matching a
// blocked email or network address go straight to spam; blocked words and
// link domains weigh towards it (see ScoreComment).
type Block struct {
	ID        int64
	Kind      BlockKind
	Value     string // normalised by NewBlock
	Note      string // why, for other editors
	AddedBy   string // staff member's name, when listed
	CreatedAt time.Time
}

// NewBlock validates and normalises an entry typed by an editor.
func NewBlock(kind BlockKind, value, note string) (Block, error) {
	b := Block{Kind: kind, Note: strings.TrimSpace(note)}
	fe := FieldErrors{}
	value = strings.TrimSpace(value)
	switch kind {
	case BlockEmail:
		b.Value = strings.ToLower(value)
		if !validBlockEmail(b.Value) {
			fe["value"] = "Enter an email address (reader@example.com) or a whole domain (@example.com)."
		}
	case BlockIP:
		if p, err := netip.ParsePrefix(value); err == nil {
			b.Value = p.Masked().String()
		} else if a, err := netip.ParseAddr(value); err == nil {
			b.Value = a.Unmap().String()
		} else {
			fe["value"] = "Enter a network address (203.0.113.7, 2001:db8::1) or a range (203.0.113.0/24)."
		}
	case BlockWord:
		b.Value = strings.Join(words(value), " ")
		if b.Value == "" {
			fe["value"] = "Enter a word or phrase with at least one letter or digit."
		}
	case BlockDomain:
		b.Value = linkHost(value)
		if !strings.Contains(b.Value, ".") || strings.ContainsAny(b.Value, " @") {
			fe["value"] = "Enter a domain such as example.com."
		}
	default:
		fe["kind"] = "Choose what to block: an email, a network address, a word or a domain."
	}
	if len(value) > MaxBlockValueLen || !utf8.ValidString(value) {
		fe["value"] = "That is too long to block."
	}
	if utf8.RuneCountInString(b.Note) > MaxBlockNoteLen || !utf8.ValidString(b.Note) {
		fe["note"] = "Please keep the note under 200 characters."
	}
	return b, fe.Err()
}

func validBlockEmail(v string) bool {
	if domain, ok := strings.CutPrefix(v, "@"); ok {
		return strings.Contains(domain, ".") && !strings.ContainsAny(domain, "@ ")
	}
	a, err := mail.ParseAddress(v)
	return err == nil && a.Address == v
}

// linkHost returns the lower-case host of a link or bare domain, without a
// leading "www.".
func linkHost(link string) string {
	s := strings.ToLower(strings.TrimSpace(link))
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.TrimSuffix(u.Hostname(), "."), "www.")
}

// Blocklist is the newsroom's list of blocked emails, network addresses,
// words and domains.
type Blocklist []Block

// MatchEmail returns the entry blocking email, if any.
func (bl Blocklist) MatchEmail(email string) (Block, bool) {
	email = strings.ToLower(strings.TrimSpace(email))
	at := strings.LastIndexByte(email, '@')
	for _, b := range bl {
		if b.Kind == BlockEmail && (b.Value == email || (at >= 0 && b.Value == email[at:])) {
			return b, true
		}
	}
	return Block{}, false
}

// MatchIP returns the entry blocking the network address ip, if any.
func (bl Blocklist) MatchIP(ip string) (Block, bool) {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return Block{}, false
	}
	a = a.Unmap().WithZone("")
	for _, b := range bl {
		if b.Kind != BlockIP {
			continue
		}
		if p, err := netip.ParsePrefix(b.Value); err == nil && p.Contains(a) {
			return b, true
		}
		if e, err := netip.ParseAddr(b.Value); err == nil && e == a {
			return b, true
		}
	}
	return Block{}, false
}

// MatchWords returns the blocked words and phrases text contains as whole
// words, ignoring case and punctuation.
func (bl Blocklist) MatchWords(text string) []string {
	hay := " " + strings.Join(words(text), " ") + " "
	var out []string
	for _, b := range bl {
		if b.Kind == BlockWord && b.Value != "" && strings.Contains(hay, " "+b.Value+" ") && !slices.Contains(out, b.Value) {
			out = append(out, b.Value)
		}
	}
	return out
}

// MatchDomains returns the blocked domains that any of links points to
// (the domain itself or a subdomain).
func (bl Blocklist) MatchDomains(links []string) []string {
	var out []string
	for _, l := range links {
		host := linkHost(l)
		if host == "" {
			continue
		}
		for _, b := range bl {
			if b.Kind == BlockDomain && (host == b.Value || strings.HasSuffix(host, "."+b.Value)) && !slices.Contains(out, b.Value) {
				out = append(out, b.Value)
			}
		}
	}
	return out
}
