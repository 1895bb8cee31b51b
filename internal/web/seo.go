package web

import (
	"encoding/json"
	"time"

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

type ldOrganization struct {
	Type string   `json:"@type"`
	Name string   `json:"name"`
	URL  string   `json:"url"`
	Logo *ldImage `json:"logo,omitempty"`
}

type ldNewsArticle struct {
	Context          string         `json:"@context"`
	Type             string         `json:"@type"`
	Headline         string         `json:"headline"`
	Description      string         `json:"description,omitempty"`
	DatePublished    string         `json:"datePublished"`
	DateModified     string         `json:"dateModified"`
	Author           []ldThing      `json:"author"`
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

type ldPerson struct {
	Context  string  `json:"@context"`
	Type     string  `json:"@type"`
	Name     string  `json:"name"`
	URL      string  `json:"url"`
	JobTitle string  `json:"jobTitle,omitempty"`
	WorksFor ldThing `json:"worksFor"`
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
	return ldOrganization{Type: "NewsMediaOrganization", Name: pub.Name, URL: s.abs("/"),
		Logo: &ldImage{Type: "ImageObject", URL: s.abs(s.render.StaticURL("favicon.svg")), Width: 64, Height: 64}}
}

func (s *Server) articleLD(lay render.Layout, a *news.Article, quotes []ldQuotation) string {
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
		doc.Author = append(doc.Author, ldThing{Type: "Person", Name: au.Name, URL: s.abs(au.URLPath())})
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
	return ldJSON(doc)
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
