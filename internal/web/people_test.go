package web_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
)

// quoteFixture adds to the small newsroom three articles quoting people:
// the mayor (three quotations in all, with the fixture's own), a
// councillor (two) and the council as an organisation, plus a draft
// quoting someone readers must never see.
type quoteFixture struct {
	*fixture
	flood, budget, vote *news.Article
}

func newQuoteFixture(t *testing.T) *quoteFixture {
	t.Helper()
	f := &quoteFixture{fixture: newFixture(t)}
	s := f.site
	now := time.Now().Truncate(time.Second)
	f.flood = s.Article(t, &news.Article{Headline: "Old Quay flooded", Section: f.section, Authors: []news.Staff{f.author}, PublishedAt: now.Add(-50 * time.Minute),
		Body: "The river rose overnight.\n\n“Nobody will be left on their own,” said Mayor Ines Darrow. “We will be there for the clean-up.”\n\n" +
			"Councillor Priti Sandhu said: “People here have asked about flood defences for a decade.”\n\n" +
			"Northgate City Council said it was “monitoring the situation”."})
	f.budget = s.Article(t, &news.Article{Headline: "Budget vote", Section: f.section, Authors: []news.Staff{f.author}, PublishedAt: now.Add(-40 * time.Minute),
		Body: "“This is a starting point, not a decision,” said Ines Darrow.\n\n“Meanwhile the council pays consultants,” said Priti Sandhu."})
	draft := &news.Article{Headline: "Embargoed", Slug: "embargoed", Status: news.StatusDraft, Authors: []news.Staff{f.author},
		Body: "“The secret plan is ready,” said Wilma Hidden.\n\n“And we agree,” said Ines Darrow."}
	if err := s.Desk.Prepare(context.Background(), draft); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.CreateArticle(context.Background(), draft); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestPeopleIndex(t *testing.T) {
	f := newQuoteFixture(t)
	res := f.get(t, "/people")
	if res.StatusCode != 200 {
		t.Fatalf("GET /people: %d", res.StatusCode)
	}
	// Most quoted first: the mayor (4 quotations: two in the fixture's
	// article, the flood — one quotation split in two — and the budget),
	// then the councillor (2).
	ines := strings.Index(res.body, `<a href="/people/ines-darrow">Ines Darrow</a>`)
	priti := strings.Index(res.body, `<a href="/people/priti-sandhu">Priti Sandhu</a>`)
	if ines < 0 || priti < 0 || ines > priti {
		t.Errorf("index order: Ines at %d, Priti at %d\n%s", ines, priti, res.body)
	}
	mustContain(t, res.body, "4 quotes", "2 quotes", "Organisations quoted", `href="/people/northgate-city-council"`,
		`role="search" aria-label="Quotes"`)
	mustNotContain(t, res.body, "Wilma Hidden", "wilma-hidden")
	if !hasType(jsonLD(t, res.body), "BreadcrumbList") {
		t.Error("no breadcrumbs")
	}
}

func TestPersonPage(t *testing.T) {
	f := newQuoteFixture(t)
	res := f.get(t, "/people/ines-darrow")
	if res.StatusCode != 200 {
		t.Fatalf("GET /people/ines-darrow: %d", res.StatusCode)
	}
	// Newest article first, each quotation linking into its article, with
	// its date; a split quotation is one, its pieces joined.
	budget := strings.Index(res.body, "This is a starting point, not a decision,")
	flood := strings.Index(res.body, "Nobody will be left on their own, … We will be there for the clean-up.")
	first := strings.Index(res.body, "This is a good day for the quay,")
	if budget < 0 || flood < 0 || first < 0 || !(budget < flood && flood < first) {
		t.Errorf("quotes out of order or missing: budget %d, flood %d, first %d", budget, flood, first)
	}
	mustContain(t, res.body,
		`<h1>Ines Darrow</h1>`,
		`href="`+f.budget.URLPath()+`#quote-0"`,
		`<a href="`+f.flood.URLPath()+`">Old Quay flooded</a>`,
		`<time datetime="`+f.flood.PublishedAt.UTC().Format(time.RFC3339)+`"`,
		`title="Ines Darrow (Atom)" href="`+baseURL+`/people/ines-darrow/feed.atom">`,
		"4 quotes",
	)
	mustNotContain(t, res.body, "And we agree") // the draft
	docs := jsonLD(t, res.body)
	var person map[string]any
	for _, d := range docs {
		if d["@type"] == "Person" {
			person = d
		}
	}
	if person == nil || person["name"] != "Ines Darrow" || person["url"] != baseURL+"/people/ines-darrow" {
		t.Errorf("Person JSON-LD = %v", person)
	}

	org := f.get(t, "/people/northgate-city-council")
	if org.StatusCode != 200 || !strings.Contains(org.body, "monitoring the situation") || !hasType(jsonLD(t, org.body), "Organization") {
		t.Errorf("organisation page: %d", org.StatusCode)
	}
	for _, path := range []string{"/people/wilma-hidden", "/people/nobody-at-all", "/people/Bad_Slug", "/people/ines-darrow?page=9"} {
		if res := f.get(t, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
}

func TestPersonFeed(t *testing.T) {
	f := newQuoteFixture(t)
	type atom struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		Entries []struct {
			Title string `xml:"title"`
			ID    string `xml:"id"`
			Link  struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	res := f.get(t, "/people/ines-darrow/feed.atom")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var doc atom
	if err := xml.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatalf("Atom does not parse: %v", err)
	}
	if len(doc.Entries) != 4 || !strings.HasPrefix(doc.Title, "Ines Darrow") {
		t.Fatalf("feed %q has %d entries, want 4", doc.Title, len(doc.Entries))
	}
	e := doc.Entries[0]
	if e.Title != "Ines Darrow: “This is a starting point, not a decision,”" || e.Link.Href != baseURL+f.budget.URLPath()+"#quote-0" || e.ID != e.Link.Href {
		t.Errorf("newest entry: %+v", e)
	}
	if !strings.Contains(e.Content, "<blockquote") || !strings.Contains(e.Content, "Budget vote") {
		t.Errorf("entry content: %s", e.Content)
	}

	var rss struct {
		Channel struct {
			Items []struct {
				Link string `xml:"link"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	res = f.get(t, "/people/ines-darrow/feed.xml")
	if err := xml.Unmarshal([]byte(res.body), &rss); err != nil || len(rss.Channel.Items) != 4 {
		t.Errorf("RSS: %v, %d items", err, len(rss.Channel.Items))
	}
}

func TestArticleQuotations(t *testing.T) {
	f := newQuoteFixture(t)
	res := f.get(t, f.flood.URLPath())
	// In the body: q elements in place of the quotation marks, each citing
	// the speaker's page.
	mustContain(t, res.body,
		`<q id="quote-0" cite="`+baseURL+`/people/ines-darrow">Nobody will be left on their own,</q> said Mayor Ines Darrow. <q id="quote-1" cite="`+baseURL+`/people/ines-darrow">We will be there for the clean-up.</q>`,
		`<q id="quote-3" cite="`+baseURL+`/people/northgate-city-council">monitoring the situation</q>`,
		`Quoted in this story: <a href="/people/ines-darrow">Ines Darrow</a>, <a href="/people/priti-sandhu">Priti Sandhu</a>, <a href="/people/northgate-city-council">Northgate City Council</a>`,
	)
	// In the JSON-LD: one Quotation per quotation, with who said it.
	var article map[string]any
	for _, d := range jsonLD(t, res.body) {
		if d["@type"] == "NewsArticle" {
			article = d
		}
	}
	parts, _ := article["hasPart"].([]any)
	if len(parts) != 3 {
		t.Fatalf("hasPart = %v, want 3 quotations", article["hasPart"])
	}
	want := []struct{ text, typ, name, url string }{
		{"Nobody will be left on their own, … We will be there for the clean-up.", "Person", "Ines Darrow", baseURL + "/people/ines-darrow"},
		{"People here have asked about flood defences for a decade.", "Person", "Priti Sandhu", baseURL + "/people/priti-sandhu"},
		{"monitoring the situation", "Organization", "Northgate City Council", baseURL + "/people/northgate-city-council"},
	}
	for i, w := range want {
		q := parts[i].(map[string]any)
		by, _ := q["spokenByCharacter"].(map[string]any)
		if q["@type"] != "Quotation" || q["text"] != w.text || by["@type"] != w.typ || by["name"] != w.name || by["url"] != w.url {
			t.Errorf("quotation %d = %v, want %+v", i, q, w)
		}
		if !strings.HasPrefix(q["url"].(string), baseURL+f.flood.URLPath()+"#quote-") {
			t.Errorf("quotation %d url = %v", i, q["url"])
		}
		// The speaker's page is there.
		if res := f.get(t, strings.TrimPrefix(w.url, baseURL)); res.StatusCode != 200 {
			t.Errorf("GET %s: %d", w.url, res.StatusCode)
		}
	}
}

func TestQuoteDecisionsReachReaders(t *testing.T) {
	f := newQuoteFixture(t)
	ctx := context.Background()
	f.warm(t, f.flood.URLPath(), "/people", "/people/northgate-city-council")
	// Dismissing the council's "monitoring the situation" (a scare quote,
	// say) unmarks it, drops it from the JSON-LD, and takes the council off
	// the people pages: the change log drops the cached pages.
	if err := f.site.Store.DecideQuote(ctx, f.flood.ID, "monitoring the situation", &news.QuoteDecision{Verdict: news.VerdictDismissed}, 0); err != nil {
		t.Fatal(err)
	}
	// On SQLite the cache hears of the commit before it returns; on
	// PostgreSQL a NOTIFY arrives a moment later, so allow a little time.
	eventually(t, "dismissed quote unmarked and gone from the JSON-LD", func() bool {
		_, body := f.cacheState(t, f.flood.URLPath())
		return !strings.Contains(body, `monitoring the situation</q>`) && !strings.Contains(body, `"@type":"Organization"`)
	})
	eventually(t, "/people no longer lists the council", func() bool {
		_, body := f.cacheState(t, "/people")
		return !strings.Contains(body, "northgate-city-council")
	})
	eventually(t, "the council's page answers 404", func() bool {
		return f.get(t, "/people/northgate-city-council").StatusCode == http.StatusNotFound
	})
}

// eventually retries check for up to five seconds (a cache on another
// connection hears of a commit asynchronously), failing with what.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !check(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("not so after 5s: %s", what)
			return
		}
	}
}

func TestMergedPersonRedirects(t *testing.T) {
	f := newQuoteFixture(t)
	ctx := context.Background()
	st := f.site.Store
	f.site.Article(t, &news.Article{Headline: "Sandhu again", Body: "“We will keep asking,” said Councillor Priti Sandu."})
	typo, err := st.PersonBySlug(ctx, "priti-sandu")
	if err != nil {
		t.Fatal(err)
	}
	priti, err := st.PersonBySlug(ctx, "priti-sandhu")
	if err != nil {
		t.Fatal(err)
	}
	f.warm(t, "/people/priti-sandhu")
	if err := st.MergePeople(ctx, typo.ID, priti.ID); err != nil {
		t.Fatal(err)
	}
	for path, to := range map[string]string{
		"/people/priti-sandu":           "/people/priti-sandhu",
		"/people/priti-sandu?page=1":    "/people/priti-sandhu?page=1",
		"/people/priti-sandu/feed.atom": "/people/priti-sandhu/feed.atom",
	} {
		res := f.get(t, path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != to {
			t.Errorf("GET %s: %d → %q, want 301 → %s", path, res.StatusCode, res.Header.Get("Location"), to)
		}
	}
	res := f.get(t, "/people/priti-sandhu")
	mustContain(t, res.body, "We will keep asking,", "3 quotes", "Also quoted as Priti Sandu.")
}

func TestQuoteSearch(t *testing.T) {
	f := newQuoteFixture(t)
	f.warm(t, "/people")
	res := f.get(t, "/people?q=FLOOD+defences")
	if res.StatusCode != 200 || res.Header.Get("X-Cache") != "" {
		t.Fatalf("quote search: %d, X-Cache %q (searches are never cached)", res.StatusCode, res.Header.Get("X-Cache"))
	}
	mustContain(t, res.body, "1 quote found", "People here have asked about flood defences for a decade.",
		`<a href="/people/priti-sandhu">Priti Sandhu</a>, in <a href="`+f.flood.URLPath()+`#quote-2">Old Quay flooded</a>`,
		`<meta name="robots" content="noindex, follow">`)
	if res := f.get(t, "/people?q=darrow"); !strings.Contains(res.body, "5 quotes found") { // spans: the flood's quotation is two
		t.Errorf("search by speaker's name: %s", regexp.MustCompile(`\d+ quotes? found`).FindString(res.body))
	}
	if res := f.get(t, "/people?q=secret+plan"); !strings.Contains(res.body, "0 quotes found") {
		t.Error("search finds a draft's quote")
	}
	// The index itself is still the cached index.
	if state, body := f.cacheState(t, "/people"); state != "HIT" || strings.Contains(body, "quotes found") {
		t.Errorf("/people after a search: %s", state)
	}
}
