package web

import (
	"cmp"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/render"
)

// JSON-LD documents, typed so the output is checked by the compiler rather
// than assembled from maps.

type ldThing struct {
	Type string `json:"@type"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

type ldImage struct {
	Type   string `json:"@type"`
	URL    string `json:"url"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

// ldOrganization is the publisher: a NewsMediaOrganization with the Trust
// Project's policy properties its settings give.
type ldOrganization struct {
	Type    string   `json:"@type"`
	Name    string   `json:"name"`
	URL     string   `json:"url"`
	Logo    *ldImage `json:"logo,omitempty"`
	Address string   `json:"address,omitempty"`
	SameAs  []string `json:"sameAs,omitempty"`

	EthicsPolicy                    string `json:"ethicsPolicy,omitempty"`
	CorrectionsPolicy               string `json:"correctionsPolicy,omitempty"`
	Masthead                        string `json:"masthead,omitempty"`
	MissionCoveragePrioritiesPolicy string `json:"missionCoveragePrioritiesPolicy,omitempty"`
	DiversityPolicy                 string `json:"diversityPolicy,omitempty"`
	DiversityStaffingReport         string `json:"diversityStaffingReport,omitempty"`
	OwnershipFundingInfo            string `json:"ownershipFundingInfo,omitempty"`
	ActionableFeedbackPolicy        string `json:"actionableFeedbackPolicy,omitempty"`
	UnnamedSourcesPolicy            string `json:"unnamedSourcesPolicy,omitempty"`
	VerificationFactCheckingPolicy  string `json:"verificationFactCheckingPolicy,omitempty"`
	NoBylinesPolicy                 string `json:"noBylinesPolicy,omitempty"`
}

// ldAuthor is a byline: a Person with their profiles elsewhere.
type ldAuthor struct {
	Type   string   `json:"@type"`
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	SameAs []string `json:"sameAs,omitempty"`
}

type ldNewsArticle struct {
	Context          string         `json:"@context"`
	Type             string         `json:"@type"`
	Headline         string         `json:"headline"`
	Description      string         `json:"description,omitempty"`
	DatePublished    string         `json:"datePublished"`
	DateModified     string         `json:"dateModified"`
	Author           []ldAuthor     `json:"author"`
	Publisher        ldOrganization `json:"publisher"`
	Image            []string       `json:"image,omitempty"`
	MainEntityOfPage ldThing        `json:"mainEntityOfPage"`
	ArticleSection   string         `json:"articleSection,omitempty"`
	Keywords         []string       `json:"keywords,omitempty"`
	WordCount        int            `json:"wordCount,omitempty"`
	URL              string         `json:"url"`
	HasPart          []ldQuotation  `json:"hasPart,omitempty"` // the quotations in it
}

// ldQuotation is a quotation in an article, with who said it (a Person or
// an Organization, linking to their page).
type ldQuotation struct {
	Type     string   `json:"@type"`
	Text     string   `json:"text"`
	URL      string   `json:"url"`
	SpokenBy *ldThing `json:"spokenByCharacter,omitempty"`
}

// ldQuoted is a person's page's subject: a Person or an Organization.
type ldQuoted struct {
	Context       string   `json:"@context"`
	Type          string   `json:"@type"`
	Name          string   `json:"name"`
	URL           string   `json:"url"`
	Description   string   `json:"description,omitempty"`
	AlternateName []string `json:"alternateName,omitempty"`
}

type ldListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item"`
}

type ldBreadcrumbs struct {
	Context string       `json:"@context"`
	Type    string       `json:"@type"`
	Items   []ldListItem `json:"itemListElement"`
}

type ldSearchAction struct {
	Type       string `json:"@type"`
	Target     string `json:"target"`
	QueryInput string `json:"query-input"`
}

type ldWebSite struct {
	Context         string         `json:"@context"`
	Type            string         `json:"@type"`
	Name            string         `json:"name"`
	URL             string         `json:"url"`
	Description     string         `json:"description,omitempty"`
	Publisher       ldOrganization `json:"publisher"`
	PotentialAction ldSearchAction `json:"potentialAction"`
}

// ldPerson is an author page's subject.
type ldPerson struct {
	Context     string   `json:"@context"`
	Type        string   `json:"@type"`
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	JobTitle    string   `json:"jobTitle,omitempty"`
	Description string   `json:"description,omitempty"`
	Image       string   `json:"image,omitempty"`
	SameAs      []string `json:"sameAs,omitempty"`
	WorksFor    ldThing  `json:"worksFor"`
}

// ldJSON encodes a JSON-LD document for a script element. encoding/json
// escapes <, > and &, so the text can never close the element.
func ldJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own typed structs reach here
	}
	return string(b)
}

func (s *Server) publisher(pub news.Publication) ldOrganization {
	p := pub.Publisher
	org := ldOrganization{Type: "NewsMediaOrganization", Name: cmp.Or(p.Name, pub.Name), URL: s.abs("/"), Address: p.Address, SameAs: pub.Social,
		EthicsPolicy: s.absURL(p.EthicsPolicy), CorrectionsPolicy: s.absURL(p.CorrectionsPolicy), Masthead: s.absURL(p.Masthead),
		MissionCoveragePrioritiesPolicy: s.absURL(p.MissionCoveragePrioritiesPolicy), DiversityPolicy: s.absURL(p.DiversityPolicy),
		DiversityStaffingReport: s.absURL(p.DiversityStaffingReport), OwnershipFundingInfo: s.absURL(p.OwnershipFundingInfo),
		ActionableFeedbackPolicy: s.absURL(p.ActionableFeedbackPolicy), UnnamedSourcesPolicy: s.absURL(p.UnnamedSourcesPolicy),
		VerificationFactCheckingPolicy: s.absURL(p.VerificationFactCheckingPolicy), NoBylinesPolicy: s.absURL(p.NoBylinesPolicy)}
	if logo := cmp.Or(p.LogoURL, pub.LogoURL); logo != "" {
		org.Logo = &ldImage{Type: "ImageObject", URL: s.absURL(logo)}
	} else {
		org.Logo = &ldImage{Type: "ImageObject", URL: s.abs(s.render.StaticURL("favicon.svg")), Width: 64, Height: 64}
	}
	return org
}

// sameAs lists a member of staff's profiles elsewhere.
func sameAs(l news.SocialLinks) []string {
	var out []string
	for _, link := range l.Set() {
		out = append(out, link.URL)
	}
	return out
}

// authorLD is an author page's Person.
func (s *Server) authorLD(pub news.Publication, au *news.Staff) string {
	return ldJSON(ldPerson{Context: "https://schema.org", Type: "Person", Name: au.Name, URL: s.abs(au.URLPath()), JobTitle: au.JobTitle,
		Description: au.Bio, Image: s.absURL(au.PhotoURL), SameAs: sameAs(au.Links), WorksFor: ldThing{Type: "NewsMediaOrganization", Name: pub.Name, URL: s.abs("/")}})
}

func (s *Server) articleLD(lay render.Layout, a *news.Article, quotes []ldQuotation) string {
	return ldJSON(s.articleDoc(lay, a, quotes))
}

func (s *Server) articleDoc(lay render.Layout, a *news.Article, quotes []ldQuotation) ldNewsArticle {
	doc := ldNewsArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		Headline:         a.Headline,
		Description:      a.Standfirst,
		DatePublished:    a.PublishedAt.UTC().Format(time.RFC3339),
		DateModified:     a.LastModified().UTC().Format(time.RFC3339),
		Publisher:        s.publisher(lay.Site),
		MainEntityOfPage: ldThing{Type: "WebPage", URL: s.abs(a.URLPath())},
		WordCount:        a.WordCount,
		URL:              s.abs(a.URLPath()),
		HasPart:          quotes,
	}
	for _, au := range a.Authors {
		doc.Author = append(doc.Author, ldAuthor{Type: "Person", Name: au.Name, URL: s.abs(au.URLPath()), SameAs: sameAs(au.Links)})
	}
	if a.LeadImage != nil {
		doc.Image = []string{s.absURL(a.LeadImage.URL)}
	}
	if a.Section != nil {
		doc.ArticleSection = a.Section.Name
	}
	for _, t := range a.Tags {
		doc.Keywords = append(doc.Keywords, t.Name)
	}
	return doc
}

// ldLiveBlog is a live blog: the article, its coverage and the entries
// on the page.
type ldLiveBlog struct {
	ldNewsArticle
	CoverageStartTime string          `json:"coverageStartTime"`
	CoverageEndTime   string          `json:"coverageEndTime,omitempty"`
	LiveBlogUpdate    []ldBlogPosting `json:"liveBlogUpdate,omitempty"`
}

type ldBlogPosting struct {
	Type          string     `json:"@type"`
	Headline      string     `json:"headline"`
	ArticleBody   string     `json:"articleBody"`
	DatePublished string     `json:"datePublished"`
	DateModified  string     `json:"dateModified,omitempty"`
	URL           string     `json:"url"`
	Author        []ldAuthor `json:"author,omitempty"`
}

// liveBlogLD is a live blog's LiveBlogPosting, with the entries its page shows.
func (s *Server) liveBlogLD(lay render.Layout, a *news.Article, live *livePage, quotes []ldQuotation) string {
	doc := ldLiveBlog{ldNewsArticle: s.articleDoc(lay, a, quotes), CoverageStartTime: live.Blog.StartedAt.UTC().Format(time.RFC3339)}
	doc.Type = "LiveBlogPosting"
	if !live.Blog.Live() {
		doc.CoverageEndTime = live.Blog.ClosedAt.UTC().Format(time.RFC3339)
	}
	for _, e := range append(live.Entries.Pinned, live.Entries.Entries...) {
		text := markup.Text(e.BodyHTML)
		p := ldBlogPosting{Type: "BlogPosting", Headline: e.Headline, ArticleBody: text,
			DatePublished: e.CreatedAt.UTC().Format(time.RFC3339), URL: s.abs(a.URLPath() + "?from=" + strconv.FormatInt(e.ID, 10) + "#" + e.Anchor())}
		if p.Headline == "" {
			p.Headline = headlineOf(text)
		}
		if e.Updated() {
			p.DateModified = e.UpdatedAt.UTC().Format(time.RFC3339)
		}
		if e.Author != nil {
			p.Author = []ldAuthor{{Type: "Person", Name: e.Author.Name, URL: s.abs(e.Author.URLPath())}}
		}
		doc.LiveBlogUpdate = append(doc.LiveBlogUpdate, p)
	}
	return ldJSON(doc)
}

// headlineOf makes a headline of an entry that has none: the first words
// of its text, as search engines take at most 110 characters.
func headlineOf(text string) string {
	words := strings.Fields(text)
	out := ""
	for _, w := range words {
		if len([]rune(out))+len([]rune(w))+1 > 100 {
			return out + "…"
		}
		out = strings.TrimSpace(out + " " + w)
	}
	return out
}

func (s *Server) personLD(p *news.Person) string {
	typ := "Person"
	if p.IsOrganisation() {
		typ = "Organization"
	}
	return ldJSON(ldQuoted{Context: "https://schema.org", Type: typ, Name: p.Name, URL: s.abs(p.URLPath()),
		Description: p.Description, AlternateName: p.Aliases})
}

func (s *Server) breadcrumbsLD(crumbs ...ldListItem) string {
	for i := range crumbs {
		crumbs[i].Type = "ListItem"
		crumbs[i].Position = i + 1
	}
	return ldJSON(ldBreadcrumbs{Context: "https://schema.org", Type: "BreadcrumbList", Items: crumbs})
}

func (s *Server) webSiteLD(pub news.Publication) string {
	return ldJSON(ldWebSite{
		Context: "https://schema.org", Type: "WebSite", Name: pub.Name, URL: s.abs("/"), Description: pub.Description,
		Publisher:       s.publisher(pub),
		PotentialAction: ldSearchAction{Type: "SearchAction", Target: s.abs("/search?q={search_term_string}"), QueryInput: "required name=search_term_string"},
	})
}

// absURL makes a possibly relative media URL absolute.
func (s *Server) absURL(u string) string {
	if len(u) > 0 && u[0] == '/' {
		return s.abs(u)
	}
	return u
}
