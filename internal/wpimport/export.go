package wpimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"strconv"
	"strings"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/wxr"
)

// Postmeta keys the exporter writes, so a round trip keeps the Markdown.
const (
	metaMarkdown = "_masthead_markdown"    // the article's Markdown
	metaBodyHash = "_masthead_html_sha256" // the SHA-256 of the HTML exported with it
)

// mastheadMarkdown returns the Markdown a Masthead export kept with an
// item, if the HTML beside it is still the HTML exported with it.
func mastheadMarkdown(it *wxr.Item) (string, bool) {
	var md, hash string
	var hasMD bool
	for _, m := range it.Meta {
		switch m.Key {
		case metaMarkdown:
			md, hasMD = m.Value, true
		case metaBodyHash:
			hash = m.Value
		}
	}
	if !hasMD || hash == "" || hash != sha256Hex(it.Content) {
		return "", false
	}
	return md, true
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// More postmeta the exporter writes: what WXR has no field for.
const (
	metaBylines        = "_masthead_bylines"         // every byline's login, comma-separated, in order
	metaSEOTitle       = "_masthead_seo_title"       // the title for search engines
	metaSEODescription = "_masthead_seo_description" // and their description
	metaCredit         = "_masthead_credit"          // an image's credit (on attachments)
)

// ExportOptions adjusts an export.
type ExportOptions struct {
	// BaseURL is the site's public address (links and GUIDs are built on
	// it, and relative media URLs made absolute).
	BaseURL string
	// Location is the newsroom's time zone, for WordPress's local dates.
	Location *time.Location
	// Now is the clock (the export's date); default time.Now.
	Now func() time.Time
}

// ExportCount is what an export wrote.
type ExportCount struct {
	Authors, Categories, Tags, Posts, Pages, Attachments, Comments int
}

// Export writes the whole site as a WXR 1.2 file that WordPress's
// importer (Tools → Import → WordPress) accepts: staff as authors,
// sections as categories (with their parents), tags, articles as posts,
// pages as pages, lead images as attachments, and every comment. One
// article is read at a time.
func Export(ctx context.Context, st *store.Store, out io.Writer, opts ExportOptions) (ExportCount, error) {
	var n ExportCount
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	base := strings.TrimRight(opts.BaseURL, "/")
	abs := func(u string) string {
		if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
			return base + u
		}
		return u
	}
	pub, err := st.Publication(ctx)
	if err != nil {
		return n, err
	}
	w := wxr.NewWriter(out)
	if err := w.Write(&wxr.Header{Title: pub.Name, Link: base, Description: firstOf(pub.Tagline, pub.Description),
		PubDate: opts.Now().UTC().Format(time.RFC1123Z), Language: pub.Language, BaseSiteURL: base, BaseBlogURL: base}); err != nil {
		return n, err
	}

	staff, err := st.AllStaff(ctx)
	if err != nil {
		return n, err
	}
	login := map[int64]string{}
	staffByEmail := map[string]int64{}
	for _, au := range staff {
		login[au.ID] = au.Slug
		staffByEmail[strings.ToLower(au.Email)] = au.ID
		first, last := splitName(au.Name)
		if err := w.Write(&wxr.Author{ID: au.ID, Login: au.Slug, Email: au.Email, DisplayName: au.Name, FirstName: first, LastName: last}); err != nil {
			return n, err
		}
		n.Authors++
	}

	secs, err := st.Sections(ctx)
	if err != nil {
		return n, err
	}
	parents, err := st.SectionParents(ctx)
	if err != nil {
		return n, err
	}
	slugOf := map[int64]string{}
	for _, s := range secs {
		slugOf[s.ID] = s.Slug
	}
	// WordPress's importer wants a parent before its children.
	written := map[int64]bool{}
	var writeSection func(s news.Section) error
	byID := map[int64]news.Section{}
	for _, s := range secs {
		byID[s.ID] = s
	}
	writeSection = func(s news.Section) error {
		if written[s.ID] {
			return nil
		}
		written[s.ID] = true
		if p, ok := byID[parents[s.ID]]; ok {
			if err := writeSection(p); err != nil {
				return err
			}
		}
		n.Categories++
		return w.Write(&wxr.Term{ID: s.ID, Taxonomy: wxr.TaxonomyCategory, Slug: s.Slug, Name: s.Name,
			Description: s.Description, Parent: slugOf[parents[s.ID]]})
	}
	for _, s := range secs {
		if err := writeSection(s); err != nil {
			return n, err
		}
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		return n, err
	}
	for _, t := range tags {
		if err := w.Write(&wxr.Term{ID: t.ID, Taxonomy: wxr.TaxonomyTag, Slug: t.Slug, Name: t.Name}); err != nil {
			return n, err
		}
		n.Tags++
	}

	pages, err := st.Pages(ctx)
	if err != nil {
		return n, err
	}
	pageOf := map[int64]news.Page{}
	for _, p := range pages {
		pageOf[p.ArticleID] = p
	}
	ids, err := st.AllArticleIDs(ctx)
	if err != nil {
		return n, err
	}
	nextAttachment := int64(1)
	if len(ids) > 0 {
		nextAttachment = ids[len(ids)-1] + 1
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		a, err := st.Article(ctx, id)
		if err != nil {
			return n, err
		}
		it := &wxr.Item{PostID: a.ID, Title: a.Headline, Content: a.BodyHTML, Excerpt: html.EscapeString(a.Standfirst),
			GUID: base + "/?p=" + strconv.FormatInt(a.ID, 10), PostType: "post", PostName: a.Slug,
			CommentStatus: map[bool]string{true: "open", false: "closed"}[a.CommentsOpen], PingStatus: "closed", IsSticky: a.Featured}
		it.Link = it.GUID
		if a.Path != "" {
			it.Link = base + a.URLPath()
		}
		var bylines []string
		for _, au := range a.Authors {
			bylines = append(bylines, login[au.ID])
		}
		if len(bylines) > 0 {
			it.Creator = bylines[0]
		}
		date := a.PublishedAt
		switch a.Status {
		case news.StatusPublished:
			it.Status = "publish"
		case news.StatusUnpublished:
			it.Status = "private"
		case news.StatusScheduled:
			it.Status, date = "future", a.PublishAt
		case news.StatusReview:
			it.Status = "pending"
		default:
			it.Status = "draft"
		}
		if date.IsZero() {
			it.PostDate = wxr.FormatDate(a.CreatedAt.In(opts.Location))
			it.PostDateGMT = wxr.FormatDate(time.Time{})
		} else {
			it.PostDate, it.PostDateGMT = wxr.FormatDate(date.In(opts.Location)), wxr.FormatDate(date.UTC())
			it.PubDate = date.UTC().Format(time.RFC1123Z)
		}
		if !a.ModifiedAt.IsZero() {
			it.PostModified, it.PostModifiedGMT = wxr.FormatDate(a.ModifiedAt.In(opts.Location)), wxr.FormatDate(a.ModifiedAt.UTC())
		}
		if p, ok := pageOf[a.ID]; ok {
			it.PostType, it.PostParent, it.MenuOrder = "page", p.ParentID, int64(p.MenuOrder)
			it.PostName = p.Slug[strings.LastIndexByte(p.Slug, '/')+1:]
			n.Pages++
		} else {
			n.Posts++
		}
		if a.Section != nil {
			it.Categories = append(it.Categories, wxr.Category{Domain: wxr.TaxonomyCategory, Nicename: a.Section.Slug, Name: a.Section.Name})
		}
		for _, t := range a.Tags {
			it.Categories = append(it.Categories, wxr.Category{Domain: wxr.TaxonomyTag, Nicename: t.Slug, Name: t.Name})
		}
		it.Meta = append(it.Meta, wxr.Meta{Key: metaMarkdown, Value: a.Body}, wxr.Meta{Key: metaBodyHash, Value: sha256Hex(it.Content)})
		if len(bylines) > 1 {
			it.Meta = append(it.Meta, wxr.Meta{Key: metaBylines, Value: strings.Join(bylines, ",")})
		}
		if a.SEOTitle != "" {
			it.Meta = append(it.Meta, wxr.Meta{Key: metaSEOTitle, Value: a.SEOTitle})
		}
		if a.SEODescription != "" {
			it.Meta = append(it.Meta, wxr.Meta{Key: metaSEODescription, Value: a.SEODescription})
		}

		// The lead image goes first, as the attachment the post features.
		if img := a.LeadImage; img != nil && img.URL != "" {
			aid := nextAttachment
			nextAttachment++
			att := &wxr.Item{PostID: aid, Title: img.Alt, Excerpt: html.EscapeString(img.Caption), PostType: "attachment", Status: "inherit",
				PostParent: a.ID, AttachmentURL: abs(img.URL), GUID: abs(img.URL), Link: abs(img.URL), Creator: it.Creator,
				PostDate: it.PostDate, PostDateGMT: it.PostDateGMT, PostName: news.Slugify(img.Alt), CommentStatus: "closed", PingStatus: "closed",
				Meta: []wxr.Meta{{Key: "_wp_attachment_image_alt", Value: img.Alt}}}
			if img.Credit != "" {
				att.Meta = append(att.Meta, wxr.Meta{Key: metaCredit, Value: img.Credit})
			}
			if err := w.Write(att); err != nil {
				return n, err
			}
			n.Attachments++
			it.Meta = append(it.Meta, wxr.Meta{Key: "_thumbnail_id", Value: strconv.FormatInt(aid, 10)})
		}

		comments, err := st.ArticleThread(ctx, a.ID)
		if err != nil {
			return n, err
		}
		for _, c := range comments {
			wc := wxr.Comment{ID: c.ID, Author: c.Name, AuthorEmail: c.Email, AuthorURL: c.Website, AuthorIP: c.IP,
				Date: wxr.FormatDate(c.CreatedAt.In(opts.Location)), DateGMT: wxr.FormatDate(c.CreatedAt.UTC()),
				Content: html.EscapeString(c.Body), Parent: c.ParentID, Type: "comment"}
			switch c.Status {
			case news.CommentApproved:
				wc.Approved = "1"
			case news.CommentSpam:
				wc.Approved = "spam"
			case news.CommentTrash:
				wc.Approved = "trash"
			default:
				wc.Approved = "0"
			}
			if c.IsStaff {
				wc.UserID = staffByEmail[strings.ToLower(c.Email)]
			}
			it.Comments = append(it.Comments, wc)
			n.Comments++
		}
		if err := w.Write(it); err != nil {
			return n, err
		}
	}
	return n, w.Close()
}

// splitName guesses first and last names for WordPress's profile fields.
func splitName(name string) (first, last string) {
	f := strings.Fields(name)
	switch len(f) {
	case 0:
		return "", ""
	case 1:
		return f[0], ""
	}
	return strings.Join(f[:len(f)-1], " "), f[len(f)-1]
}
