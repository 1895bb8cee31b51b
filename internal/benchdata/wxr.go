package benchdata

import (
	"context"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"masthead/internal/news"
	"masthead/internal/wxr"
)

// WXROptions describe a synthetic WordPress export.
type WXROptions struct {
	Posts    int
	Seed     uint64
	Now      time.Time     // the newest post is a little before Now; default 1 December 2026
	Interval time.Duration // average time between posts; default 40 minutes
}

// WriteWXR writes a synthetic WordPress export (WXR 1.2) of opt.Posts posts,
// for the importer's benchmark: twenty authors, nested categories, a few
// hundred tags, posts of 250–700 words of WordPress HTML (paragraphs,
// subheadings, quotations, lists, an occasional [caption]), an attachment
// for every fourth post (its featured image and an image in its body),
// reader comments with replies, and a few drafts, pending, private and
// sticky posts. The same options always write the same bytes.
func WriteWXR(ctx context.Context, w io.Writer, opt WXROptions) error {
	if opt.Now.IsZero() {
		opt.Now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	}
	if opt.Interval <= 0 {
		opt.Interval = 40 * time.Minute
	}
	const site = "https://courier.example"
	out := wxr.NewWriter(w)
	if err := out.Write(&wxr.Header{Title: "The Northgate Courier", Link: site, Description: "The city's paper since 1881",
		Language: "en-GB", BaseSiteURL: site, BaseBlogURL: site}); err != nil {
		return err
	}
	g := &generator{}
	rng := rand.New(rand.NewPCG(opt.Seed, 1))
	var logins []string
	for i := range 20 {
		first, last := firstNames[i%len(firstNames)], lastNames[(i*7+3)%len(lastNames)]
		login := strings.ToLower(first + "." + last)
		logins = append(logins, login)
		if err := out.Write(&wxr.Author{ID: int64(i + 1), Login: login, Email: login + "@courier.example",
			DisplayName: first + " " + last, FirstName: first, LastName: last}); err != nil {
			return err
		}
	}
	type term struct{ slug, name string }
	var cats []term
	termID := int64(1)
	for _, s := range sectionNames {
		slug := news.Slugify(s.name)
		cats = append(cats, term{slug, s.name})
		if err := out.Write(&wxr.Term{ID: termID, Taxonomy: wxr.TaxonomyCategory, Slug: slug, Name: s.name, Description: s.desc}); err != nil {
			return err
		}
		termID++
	}
	// Two subcategories of each section.
	for i, s := range sectionNames {
		for j := range 2 {
			name := capitalize(topics[(i*2+j)%len(topics)])
			slug := news.Slugify(s.name + " " + name)
			cats = append(cats, term{slug, name})
			if err := out.Write(&wxr.Term{ID: termID, Taxonomy: wxr.TaxonomyCategory, Slug: slug, Name: name, Parent: news.Slugify(s.name)}); err != nil {
				return err
			}
			termID++
		}
	}
	var tags []term
	for _, base := range append(append([]string{}, tagNames...), places...) {
		for _, suffix := range []string{"", " inquiry", " funding", " protest", " report", " plans", " meeting"} {
			name := capitalize(strings.TrimPrefix(base, "the ")) + suffix
			tags = append(tags, term{news.Slugify(name), name})
			if err := out.Write(&wxr.Term{ID: termID, Taxonomy: wxr.TaxonomyTag, Slug: news.Slugify(name), Name: name}); err != nil {
				return err
			}
			termID++
		}
	}

	postID, commentID := int64(100), int64(0)
	for i := range opt.Posts {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		age := time.Duration(opt.Posts-i) * opt.Interval
		date := opt.Now.Add(-age - time.Duration(rng.Int64N(int64(opt.Interval)))).Truncate(time.Second)
		topic, place, inst := pick(rng, topics), pick(rng, places), pick(rng, institutions)
		title := capitalize(fmt.Sprintf("%s %s %s %s for %s", inst, pick(rng, headlineVerbs), topic, pick(rng, headlineNouns), place))
		if rng.IntN(4) == 0 {
			title = capitalize(fmt.Sprintf("%s %s: %s", place, topic, g.clause(rng)))
		}
		slug := news.Slugify(title)
		postID++
		id := postID
		var att *wxr.Item
		if i%4 == 0 {
			postID++
			file := fmt.Sprintf("%d/%02d/%s-%d.jpg", date.Year(), int(date.Month()), news.Slugify(topic), postID)
			att = &wxr.Item{PostID: postID, Title: capitalize(topic) + " in " + place, PostType: "attachment", Status: "inherit",
				PostParent: id, Creator: pick(rng, logins), AttachmentURL: site + "/wp-content/uploads/" + file,
				Link: site + "/?attachment_id=" + strconv.FormatInt(postID, 10), GUID: site + "/wp-content/uploads/" + file,
				PostDate: wpDate(date), PostDateGMT: wpDate(date), PostName: news.Slugify(topic) + "-" + strconv.FormatInt(postID, 10),
				Meta:    []wxr.Meta{{Key: "_wp_attached_file", Value: file}, {Key: "_wp_attachment_image_alt", Value: capitalize(topic) + " in " + place}},
				Excerpt: "Photograph: " + pick(rng, firstNames) + " " + pick(rng, lastNames)}
		}
		it := &wxr.Item{PostID: id, Title: title, Creator: pick(rng, logins), PostType: "post", Status: "publish",
			Link:    fmt.Sprintf("%s/%d/%02d/%02d/%s/", site, date.Year(), int(date.Month()), date.Day(), slug),
			GUID:    site + "/?p=" + strconv.FormatInt(id, 10),
			PubDate: date.Format(time.RFC1123Z), PostDate: wpDate(date), PostDateGMT: wpDate(date),
			PostModified: wpDate(date.Add(time.Hour)), PostModifiedGMT: wpDate(date.Add(time.Hour)),
			CommentStatus: "open", PingStatus: "closed", PostName: slug, Excerpt: capitalize(g.clause(rng)) + ".",
			Content: g.wpBody(rng, topic, place, inst, att)}
		switch r := rng.IntN(100); {
		case r < 3:
			it.Status = "draft"
		case r < 4:
			it.Status = "pending"
		case r < 5:
			it.Status = "private"
		case r < 7:
			it.CommentStatus = "closed"
		}
		it.IsSticky = rng.IntN(500) == 0
		c := cats[rng.IntN(len(cats))]
		it.Categories = append(it.Categories, wxr.Category{Domain: wxr.TaxonomyCategory, Nicename: c.slug, Name: c.name})
		if rng.IntN(10) == 0 {
			c := cats[rng.IntN(len(cats))]
			it.Categories = append(it.Categories, wxr.Category{Domain: wxr.TaxonomyCategory, Nicename: c.slug, Name: c.name})
		}
		for n := rng.IntN(5); n > 0; n-- {
			t := tags[rng.IntN(len(tags))]
			it.Categories = append(it.Categories, wxr.Category{Domain: wxr.TaxonomyTag, Nicename: t.slug, Name: t.name})
		}
		it.Meta = []wxr.Meta{{Key: "_edit_last", Value: "1"}}
		if att != nil {
			it.Meta = append(it.Meta, wxr.Meta{Key: "_thumbnail_id", Value: strconv.FormatInt(att.PostID, 10)})
		}
		if rng.IntN(5) < 2 {
			at := date
			first := commentID + 1
			for n := 1 + rng.IntN(6); n > 0; n-- {
				at = at.Add(time.Duration(5+rng.IntN(600)) * time.Minute)
				commentID++
				name := pick(rng, firstNames) + " " + pick(rng, lastNames)[:1] + "."
				wc := wxr.Comment{ID: commentID, Author: name, AuthorEmail: strings.ToLower(strings.NewReplacer(" ", ".", ".", "").Replace(name)) + "@reader.example",
					AuthorIP: fmt.Sprintf("192.0.2.%d", 1+rng.IntN(250)), Date: wpDate(at), DateGMT: wpDate(at),
					Content: html.EscapeString(pick(rng, commentBodies)), Approved: "1", Type: "comment"}
				if rng.IntN(10) == 0 {
					wc.Approved = "0"
				}
				if commentID > first && rng.IntN(3) == 0 {
					wc.Parent = first + rng.Int64N(commentID-first)
				}
				it.Comments = append(it.Comments, wc)
			}
		}
		if err := out.Write(it); err != nil {
			return err
		}
		if att != nil {
			if err := out.Write(att); err != nil {
				return err
			}
		}
	}
	return out.Close()
}

// wpDate is WordPress's date format.
func wpDate(t time.Time) string { return t.UTC().Format(time.DateTime) }

// wpBody writes 250–700 words of the HTML WordPress's classic editor saves.
func (g *generator) wpBody(rng *rand.Rand, topic, place, inst string, att *wxr.Item) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<p>%s %s the %s plans for %s on %s, and %s.</p>\n\n", html.EscapeString(capitalize(inst)),
		pick(rng, []string{"set out", "confirmed", "published", "defended"}), topic, html.EscapeString(place),
		pick(rng, []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}), html.EscapeString(g.clause(rng)))
	if att != nil {
		if rng.IntN(2) == 0 {
			fmt.Fprintf(&b, "[caption id=\"attachment_%d\" align=\"alignnone\" width=\"800\"]<img class=\"size-large wp-image-%d\" src=\"%s\" alt=\"%s\" width=\"800\" height=\"533\" /> %s[/caption]\n\n",
				att.PostID, att.PostID, att.AttachmentURL, html.EscapeString(att.Title), html.EscapeString(att.Title))
		} else {
			fmt.Fprintf(&b, "<img class=\"aligncenter size-large wp-image-%d\" src=\"%s\" alt=\"%s\" width=\"800\" height=\"533\" />\n\n",
				att.PostID, att.AttachmentURL, html.EscapeString(att.Title))
		}
	}
	for p := 4 + rng.IntN(8); p > 0; p-- {
		switch r := rng.IntN(10); {
		case r < 3:
			name, role := g.person(rng)
			fmt.Fprintf(&b, "<p>“%s,” %s <strong>%s</strong>, %s. “%s.”</p>\n\n", html.EscapeString(g.quote(rng)), pick(rng, verbs),
				name, html.EscapeString(role), html.EscapeString(g.quote(rng)))
		case r == 3:
			fmt.Fprintf(&b, "<h2>%s</h2>\n\n", pick(rng, subheads))
			fallthrough
		case r < 9:
			b.WriteString("<p>")
			for s := 2 + rng.IntN(3); s > 0; s-- {
				fmt.Fprintf(&b, "%s, %s. ", html.EscapeString(capitalize(g.clause(rng))), html.EscapeString(g.clause(rng)))
			}
			b.WriteString("</p>\n\n")
		default:
			if rng.IntN(2) == 0 {
				name, _ := g.person(rng)
				fmt.Fprintf(&b, "<blockquote><p>“%s.”</p><p>— %s</p></blockquote>\n\n", html.EscapeString(g.quote(rng)), name)
			} else {
				b.WriteString("<p>The main points:</p>\n<ul>\n")
				for s := 2 + rng.IntN(3); s > 0; s-- {
					fmt.Fprintf(&b, "<li>%s</li>\n", html.EscapeString(capitalize(g.clause(rng))))
				}
				b.WriteString("</ul>\n\n")
			}
		}
	}
	fmt.Fprintf(&b, "<p>Read more about <a href=\"https://courier.example/tag/%s/\">%s</a>.</p>", news.Slugify(topic), html.EscapeString(topic))
	return b.String()
}
