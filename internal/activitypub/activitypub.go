// Package activitypub holds what Masthead's federation needs that is
// neither a rule of the newsroom nor SQL: the ActivityStreams documents it
// emits (plain encoding/json structs for the subset used), HTTP Signatures
// (draft-cavage, rsa-sha256, as Mastodon uses them), RSA keys in PEM, and a
// guarded HTTP client for the one kind of outgoing request federation makes
// (fetching a remote actor, delivering to an inbox).
package activitypub

import (
	"encoding/json"
	"net/url"
	"strings"
)

// ContentType is what Masthead sends ActivityStreams documents as.
const ContentType = "application/activity+json"

// Public is the special collection addressing everyone.
const Public = "https://www.w3.org/ns/activitystreams#Public"

// WantsActivity reports, cheaply, whether an Accept header asks for an
// ActivityStreams document rather than a page: application/activity+json,
// or application/ld+json (with the ActivityStreams profile, which is the
// only JSON-LD anyone asks a news site for). Browsers never send either.
func WantsActivity(accept string) bool {
	return accept != "" && (strings.Contains(accept, "activity+json") || strings.Contains(accept, "ld+json"))
}

// Key is an actor's public key as published in its document.
type Key struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// Image is an icon or an article's image.
type Image struct {
	Type      string `json:"type"`
	MediaType string `json:"mediaType,omitempty"`
	URL       string `json:"url"`
	Name      string `json:"name,omitempty"`
}

// Endpoints names an actor's shared inbox.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox,omitempty"`
}

// Actor is a Person (a reporter) or a Service/Organization (the paper).
type Actor struct {
	Context                   any        `json:"@context,omitempty"`
	ID                        string     `json:"id"`
	Type                      string     `json:"type"`
	PreferredUsername         string     `json:"preferredUsername"`
	Name                      string     `json:"name"`
	Summary                   string     `json:"summary,omitempty"`
	URL                       string     `json:"url"`
	Icon                      *Image     `json:"icon,omitempty"`
	Inbox                     string     `json:"inbox"`
	Outbox                    string     `json:"outbox"`
	Followers                 string     `json:"followers"`
	Following                 string     `json:"following"`
	Endpoints                 *Endpoints `json:"endpoints,omitempty"`
	PublicKey                 Key        `json:"publicKey"`
	ManuallyApprovesFollowers bool       `json:"manuallyApprovesFollowers"`
	Discoverable              bool       `json:"discoverable"`
	Published                 string     `json:"published,omitempty"`
}

// Tag is a hashtag on an article.
type Tag struct {
	Type string `json:"type"`
	Href string `json:"href"`
	Name string `json:"name"`
}

// Object is an Article (or, later, a Tombstone).
type Object struct {
	Context      any      `json:"@context,omitempty"`
	ID           string   `json:"id"`
	Type         string   `json:"type"`
	Name         string   `json:"name,omitempty"`
	Summary      string   `json:"summary,omitempty"`
	Content      string   `json:"content,omitempty"`
	URL          string   `json:"url,omitempty"`
	AttributedTo []string `json:"attributedTo,omitempty"`
	To           []string `json:"to,omitempty"`
	Cc           []string `json:"cc,omitempty"`
	Published    string   `json:"published,omitempty"`
	Updated      string   `json:"updated,omitempty"`
	Image        *Image   `json:"image,omitempty"`
	Tag          []Tag    `json:"tag,omitempty"`
	MediaType    string   `json:"mediaType,omitempty"`
}

// Activity is what goes into an inbox: Create, Accept, Update, Delete...
type Activity struct {
	Context   any      `json:"@context,omitempty"`
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     string   `json:"actor"`
	Object    any      `json:"object"`
	Published string   `json:"published,omitempty"`
	To        []string `json:"to,omitempty"`
	Cc        []string `json:"cc,omitempty"`
}

// Collection is an outbox, followers or following collection: Masthead
// publishes the count, not the members (followers are not public); an
// outbox's items are on its pages, from First.
type Collection struct {
	Context    any    `json:"@context,omitempty"`
	ID         string `json:"id"`
	Type       string `json:"type"`
	TotalItems int    `json:"totalItems"`
	First      string `json:"first,omitempty"`
	Last       string `json:"last,omitempty"`
}

// CollectionPage is one page of an outbox, newest first.
type CollectionPage struct {
	Context      any        `json:"@context,omitempty"`
	ID           string     `json:"id"`
	Type         string     `json:"type"`
	PartOf       string     `json:"partOf"`
	TotalItems   int        `json:"totalItems"`
	OrderedItems []Activity `json:"orderedItems"`
	Next         string     `json:"next,omitempty"`
	Prev         string     `json:"prev,omitempty"`
}

// Context returns the @context of every top-level document Masthead
// serves: ActivityStreams, and the security vocabulary for publicKey.
func Context() any {
	return []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"}
}

// Incoming is an activity as received in an inbox: only what Masthead
// reads, with actor and object left raw (each may be a URI or an object).
type Incoming struct {
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	Actor  json.RawMessage `json:"actor"`
	Object json.RawMessage `json:"object"`
}

// RefID is the id of a reference that may be written as a bare URI or as
// an object with an id; "" when it is neither.
func RefID(raw json.RawMessage) string {
	var id string
	if json.Unmarshal(raw, &id) == nil {
		return id
	}
	var obj struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.ID
	}
	return ""
}

// Host is the lower-case host (without port) of an actor or key URI; ""
// when it has none.
func Host(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// SameOrigin reports whether two URIs have one scheme, host and port:
// what a remote server may speak for is its own origin.
func SameOrigin(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && ua.Host != "" && strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}

// InDomain reports whether host is domain or one of its subdomains.
func InDomain(host, domain string) bool {
	return host != "" && domain != "" && (host == domain || strings.HasSuffix(host, "."+domain))
}
