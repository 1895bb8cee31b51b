package wpimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead/internal/clock"
	"masthead/internal/markup"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/wpcontent"
	"masthead/internal/wxr"
)

// Import brings the WordPress export read from src into the site: first a
// check of the whole file, then the import in one transaction (see the
// package comment). src is read twice. A malformed file returns the
// reader's error (a *wxr.SyntaxError, or one wrapping wxr.ErrNotWXR) and
// changes nothing.
func Import(ctx context.Context, st *store.Store, src io.ReadSeeker, opts Options) (*Summary, error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MediaDir != "" && opts.Media == nil {
		return nil, errors.New("wpimport: a media store is needed to copy files from the media folder")
	}
	key, err := fileKey(src, opts)
	if err != nil {
		return nil, err
	}
	if opts.MediaDir == "" { // with a media folder, files missing before may be there now
		if sum, ok, err := repeated(ctx, st, key); err != nil || ok {
			return sum, err
		}
	}
	sp, err := newSpool(opts.SpoolDir)
	if err != nil {
		return nil, err
	}
	defer sp.remove()
	sc, err := check(ctx, src, opts.Progress, sp, splitAbove)
	if err != nil {
		return nil, err
	}
	records, err := sp.rewind()
	if err != nil {
		return nil, err
	}
	sum := newSummary()
	// One transaction: Bulk only lets SQLite keep more of it in memory
	// and sync once at its end, which the commit does anyway.
	err = st.Bulk(ctx, func() error {
		return st.Atomically(ctx, func(tx *store.Store) error {
			im := &importer{
				st: tx, desk: newsroom.New(tx, newsroom.Config{Location: opts.Location}), opts: opts, scan: sc, sum: sum,
				authors: map[string]news.Staff{}, wpUsers: map[int64]int64{},
				sections: map[string]*news.Section{}, parents: map[string]string{},
				pageArticles: map[int64]int64{}, tags: map[string]news.Tag{},
				mapped: map[string]map[string]store.WPMapping{}, tagByName: map[string]news.Tag{},
			}
			defer im.batch.stop()
			if opts.Media != nil {
				im.lib = media.NewLibrary(opts.Media, tx, clock.System{})
			}
			if sc.items >= bulkItems {
				resume, err := tx.SuspendChangeLog(ctx)
				if err != nil {
					return err
				}
				if err := im.run(ctx, records); err != nil {
					return err
				}
				if err := resume(ctx, sum.Changed()); err != nil {
					return err
				}
			} else if err := im.run(ctx, records); err != nil {
				return err
			}
			b, err := json.Marshal(sum)
			if err != nil {
				return err
			}
			return tx.PutWPImport(ctx, key, sum.Site, string(b))
		})
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// bulkItems is how many items make an export large enough to import with
// the change log suspended (store.SuspendChangeLog): one "everything
// changed" entry then replaces dozens an article, and pages cached before
// are all dropped. A smaller import logs exactly what it changes.
const bulkItems = 1000

// fileKey is what identifies an import of src with opts: the SHA-256 of
// the file, the importer's format version and the time zone dates are
// read in.
func fileKey(src io.ReadSeeker, opts Options) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00", formatVersion, opts.Location.String())
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("read the export: %w", err)
	}
	if _, err := io.Copy(h, src); err != nil {
		return "", fmt.Errorf("read the export: %w", err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("read the export: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// repeated is the summary of importing again a file imported before
// (fileKey) when that would change nothing (store.WPRepeatImport): what
// it made, all unchanged.
func repeated(ctx context.Context, st *store.Store, key string) (*Summary, bool, error) {
	prev, ok, err := st.WPRepeatImport(ctx, key)
	if err != nil || !ok {
		return nil, false, err
	}
	sum := newSummary()
	if err := json.Unmarshal([]byte(prev), sum); err != nil {
		return nil, false, nil // unreadable: import the file the long way
	}
	for _, k := range kinds {
		c := sum.Counts[k]
		if c == nil {
			c = &Count{}
			sum.Counts[k] = c
		}
		*c = Count{Unchanged: c.Created + c.Updated + c.Unchanged}
	}
	return sum, true, nil
}

// importer is one import's state, inside its transaction.
type importer struct {
	st   *store.Store // the transaction's
	desk *newsroom.Service
	lib  *media.Library // nil without a media store
	opts Options
	scan *scan
	sum  *Summary
	site string // wordpress_map's site key
	base string // the site's root URL, for old paths

	authors  map[string]news.Staff // by login
	wpUsers  map[int64]int64       // WordPress user id → staff id
	fallback *news.Staff           // byline for items without a known author

	sections map[string]*news.Section // by WordPress category slug (wpKey)
	parents  map[string]string        // category slug → its parent's slug

	tags map[string]news.Tag // by WordPress tag slug (wpKey), once seen

	pageArticles map[int64]int64 // WordPress page id → article id
	rewrite      *strings.Replacer
	itemsStarted bool

	mapped     map[string]map[string]store.WPMapping // kind → WordPress id → what it became, loaded once a kind
	tagByName  map[string]news.Tag                   // tags of further categories, by name
	batch      batch                                 // new published posts waiting to be stored together
	speakers   store.Speakers                        // quotations' speakers found by the batches so far
	federating *bool                                 // whether unpublishing would federate, once asked (earlyStatus)
}

func (im *importer) run(ctx context.Context, next func() (wxr.Record, int64, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the reader when the import ends early
	records := readAhead(ctx, next)
	items := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		next := <-records
		rec, err := next.rec, next.err
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch rec := rec.(type) {
		case *wxr.Header:
			im.site = strings.TrimRight(firstOf(rec.BaseBlogURL, rec.BaseSiteURL, rec.Link), "/")
			im.base = firstOf(rec.BaseBlogURL, rec.Link, rec.BaseSiteURL)
			im.sum.Site = im.site
		case *wxr.Author:
			if _, err := im.author(ctx, rec); err != nil {
				return err
			}
		case *wxr.Term:
			if err := im.term(ctx, rec); err != nil {
				return err
			}
		case *wxr.Item:
			if err := im.startItems(ctx); err != nil {
				return err
			}
			items++
			if err := im.item(ctx, rec); err != nil {
				return fmt.Errorf("%s %d (%q): %w", rec.PostType, rec.PostID, truncate(rec.Title, 60), err)
			}
			if p := im.opts.Progress; p != nil {
				p(Progress{Phase: "importing", Read: next.offset, Size: im.scan.size, Items: items, TotalItems: im.scan.items})
			}
		}
	}
	if err := im.startItems(ctx); err != nil {
		return err
	}
	if err := im.flush(ctx); err != nil {
		return err
	}
	return im.pageTree(ctx)
}

// read is a record as the reader returned it, and where it had got to.
type read struct {
	rec    wxr.Record
	err    error
	offset int64
}

// readAhead reads the export's records (from the spool) on a goroutine of
// its own, a few dozen ahead, so that decoding them overlaps with storing
// what was read. The channel ends with io.EOF or the reader's error;
// cancelling ctx stops the goroutine.
func readAhead(ctx context.Context, next func() (wxr.Record, int64, error)) <-chan read {
	out := make(chan read, 64)
	go func() {
		for {
			rec, offset, err := next()
			select {
			case out <- read{rec: rec, err: err, offset: offset}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return out
}

// startItems runs once, before the first item: the section tree is
// complete then, and attachments are brought in so posts can use them.
func (im *importer) startItems(ctx context.Context) error {
	if im.itemsStarted {
		return nil
	}
	im.itemsStarted = true
	if err := im.sectionTree(ctx); err != nil {
		return err
	}
	return im.attachments(ctx)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// ---- authors

// author makes (or finds) the staff account for a WordPress author. A
// member of staff with the same email address is the same person.
func (im *importer) author(ctx context.Context, a *wxr.Author) (news.Staff, error) {
	login := strings.TrimSpace(a.Login)
	key := wpKey(login)
	if au, ok := im.authors[key]; ok {
		return au, nil
	}
	name := markup.HTMLLine(a.DisplayName)
	if name == "" {
		name = strings.TrimSpace(markup.HTMLLine(a.FirstName) + " " + markup.HTMLLine(a.LastName))
	}
	if name == "" {
		name = login
	}
	email := strings.ToLower(strings.TrimSpace(a.Email))
	if !strings.Contains(email, "@") {
		email = news.Slugify(login) + "@wordpress-import.invalid"
	}
	sum := checksum([]string{login, email, name})
	m, ok, err := im.st.WPMapping(ctx, im.site, KindAuthor, key)
	if err != nil {
		return news.Staff{}, err
	}
	var au *news.Staff
	if ok {
		au, err = im.st.StaffByID(ctx, m.TargetID)
		if errors.Is(err, news.ErrNotFound) {
			ok = false // the account was removed: make it again
		} else if err != nil {
			return news.Staff{}, err
		}
	}
	count := im.sum.Counts[KindAuthor]
	switch {
	case ok && m.Checksum == sum:
		count.Unchanged++
	case ok:
		// Staff edit their own profiles in Masthead; a newer export does
		// not overwrite them.
		count.Unchanged++
	default:
		au, err = im.st.StaffByEmail(ctx, email)
		switch {
		case err == nil:
			count.Unchanged++ // already on the staff
		case errors.Is(err, news.ErrNotFound):
			au = &news.Staff{Name: name, Email: email, Role: news.RoleAuthor}
			if au.Slug, err = im.freeStaffSlug(ctx, news.Slugify(name)); err != nil {
				return news.Staff{}, err
			}
			if err := im.st.CreateStaff(ctx, au); err != nil {
				return news.Staff{}, err
			}
			count.Created++
		default:
			return news.Staff{}, err
		}
	}
	if !ok || m.Checksum != sum {
		if err := im.st.PutWPMapping(ctx, store.WPMapping{Site: im.site, Kind: KindAuthor, WPID: key, TargetID: au.ID,
			OldPath: "author/" + key, Checksum: sum}); err != nil {
			return news.Staff{}, err
		}
	}
	im.authors[key] = *au
	if a.ID != 0 {
		im.wpUsers[a.ID] = au.ID
	}
	return *au, nil
}

func (im *importer) freeStaffSlug(ctx context.Context, base string) (string, error) {
	for n := 1; ; n++ {
		slug := base
		if n > 1 {
			slug = news.SlugWithSuffix(base, n)
		}
		taken, err := im.st.StaffSlugTaken(ctx, slug)
		if err != nil || !taken {
			return slug, err
		}
	}
}

// byline is the staff account of an item's author (its <dc:creator>),
// made from the login when the export did not list the author (WXR 1.0).
func (im *importer) byline(ctx context.Context, login string) (news.Staff, error) {
	if login = strings.TrimSpace(login); login != "" {
		if au, ok := im.authors[wpKey(login)]; ok {
			return au, nil
		}
		return im.author(ctx, &wxr.Author{Login: login})
	}
	if im.fallback == nil {
		for _, au := range im.authors {
			if im.fallback == nil || au.ID < im.fallback.ID {
				au := au
				im.fallback = &au
			}
		}
	}
	if im.fallback == nil {
		au, err := im.author(ctx, &wxr.Author{Login: "wordpress", DisplayName: "WordPress import"})
		if err != nil {
			return au, err
		}
		im.fallback = &au
	}
	return *im.fallback, nil
}

// ---- categories and tags

func (im *importer) term(ctx context.Context, t *wxr.Term) error {
	switch t.Taxonomy {
	case wxr.TaxonomyCategory:
		_, err := im.section(ctx, t.Slug, t.Name, t.Description, t.Parent)
		return err
	case wxr.TaxonomyTag:
		_, err := im.tag(ctx, t.Slug, t.Name)
		return err
	}
	im.sum.skip(t.Taxonomy, t.Slug, markup.HTMLLine(t.Name), "not a category or tag (Masthead has no "+t.Taxonomy+" taxonomy)")
	return nil
}

// section makes (or finds) the section for a WordPress category.
func (im *importer) section(ctx context.Context, slug, name, description, parent string) (*news.Section, error) {
	key := wpKey(slug)
	if key == "" {
		key = wpKey(news.Slugify(markup.HTMLLine(name)))
	}
	if sec, ok := im.sections[key]; ok {
		return sec, nil
	}
	name = markup.HTMLLine(name)
	if name == "" {
		name = key
	}
	description = markup.HTMLText(description)
	sum := checksum([]string{key, name, description, parent})
	count := im.sum.Counts[KindCategory]
	m, ok, err := im.st.WPMapping(ctx, im.site, KindCategory, key)
	if err != nil {
		return nil, err
	}
	var sec *news.Section
	if ok {
		sec, err = im.sectionByID(ctx, m.TargetID)
		if err != nil {
			return nil, err
		}
		ok = sec != nil
	}
	switch {
	case ok && m.Checksum == sum:
		count.Unchanged++
	case ok:
		sec.Name, sec.Description = name, description
		if err := im.st.UpdateSection(ctx, sec); err != nil {
			return nil, err
		}
		count.Updated++
	default:
		newSlug := wpSlug(slug, name)
		existing, err := im.st.SectionBySlug(ctx, newSlug)
		switch {
		case err == nil && strings.EqualFold(existing.Name, name):
			sec = existing // the newsroom already has this section
			count.Unchanged++
		case err == nil || errors.Is(err, news.ErrNotFound):
			for n := 2; err == nil; n++ {
				candidate := news.SlugWithSuffix(wpSlug(slug, name), n)
				_, err = im.st.SectionBySlug(ctx, candidate)
				newSlug = candidate
			}
			if !errors.Is(err, news.ErrNotFound) {
				return nil, err
			}
			secs, err := im.st.Sections(ctx)
			if err != nil {
				return nil, err
			}
			sec = &news.Section{Slug: newSlug, Name: name, Description: description, Position: len(secs)}
			if err := im.st.CreateSection(ctx, sec); err != nil {
				return nil, err
			}
			count.Created++
		default:
			return nil, err
		}
	}
	if !ok || m.Checksum != sum {
		if err := im.st.PutWPMapping(ctx, store.WPMapping{Site: im.site, Kind: KindCategory, WPID: key, TargetID: sec.ID,
			OldPath: "category/" + key, Checksum: sum}); err != nil {
			return nil, err
		}
	}
	im.sections[key] = sec
	if p := wpKey(parent); p != "" {
		im.parents[key] = p
	}
	return sec, nil
}

func (im *importer) sectionByID(ctx context.Context, id int64) (*news.Section, error) {
	secs, err := im.st.Sections(ctx)
	if err != nil {
		return nil, err
	}
	for i := range secs {
		if secs[i].ID == id {
			return &secs[i], nil
		}
	}
	return nil, nil
}

// sectionTree nests the imported sections as their categories were, and
// records each category's full old path (category/parent/child).
func (im *importer) sectionTree(ctx context.Context) error {
	if len(im.parents) == 0 {
		return nil
	}
	current, err := im.st.SectionParents(ctx)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(im.parents))
	for k := range im.parents {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		child, parent := im.sections[k], im.sections[im.parents[k]]
		if child == nil || parent == nil || child.ID == parent.ID || current[child.ID] == parent.ID {
			continue
		}
		if err := im.st.SetSectionParent(ctx, child.ID, parent.ID); err != nil {
			return err
		}
	}
	return nil
}

// tag makes (or finds) the tag for a WordPress tag. Tags are matched by
// name, as Masthead's are: WordPress tags whose names differ only in case
// or punctuation become one.
func (im *importer) tag(ctx context.Context, slug, name string) (news.Tag, error) {
	name = markup.HTMLLine(name)
	key := wpKey(slug)
	if key == "" {
		key = news.Slugify(name)
	}
	if name == "" {
		name = key
	}
	if t, ok := im.tags[key]; ok {
		return t, nil
	}
	sum := checksum([]string{key, name})
	m, ok, err := im.st.WPMapping(ctx, im.site, KindTag, key)
	if err != nil {
		return news.Tag{}, err
	}
	count := im.sum.Counts[KindTag]
	if ok && m.Checksum == sum {
		if t, err := im.st.TagBySlug(ctx, m.URL); err == nil {
			count.Unchanged++
			im.tags[key] = *t
			return *t, nil
		}
	}
	t, err := im.st.EnsureTag(ctx, name)
	if err != nil {
		return t, err
	}
	if ok {
		count.Updated++
	} else {
		count.Created++
	}
	im.tags[key] = t
	err = im.st.PutWPMapping(ctx, store.WPMapping{Site: im.site, Kind: KindTag, WPID: key, TargetID: t.ID, URL: t.Slug,
		OldPath: "tag/" + key, Checksum: sum})
	return t, err
}

// ---- attachments

// attachments brings in every attachment the first pass found: into the
// media library when its file is in the media folder, otherwise as the
// URL it is served from.
func (im *importer) attachments(ctx context.Context) error {
	ids := make([]int64, 0, len(im.scan.attachments))
	for id := range im.scan.attachments {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var pairs []string
	var puts []store.WPMapping
	count := im.sum.Counts[KindAttachment]
	for _, id := range ids {
		a := im.scan.attachments[id]
		wpID := strconv.FormatInt(id, 10)
		m, ok, err := im.mapping(ctx, KindAttachment, wpID)
		if err != nil {
			return err
		}
		if ok && m.Checksum == a.Sum && (m.TargetID != 0 || im.opts.MediaDir == "") {
			a.Src, a.LeadSrc, a.MediaID = m.URL, m.URL, m.TargetID
			if m.TargetID != 0 {
				if it, err := im.st.MediaItem(ctx, m.TargetID); err == nil {
					a.LeadSrc, a.Width, a.Height = it.LeadURL(), it.Width, it.Height
				}
			}
			count.Unchanged++
		} else {
			if err := im.attachment(ctx, a); err != nil {
				return fmt.Errorf("attachment %d: %w", id, err)
			}
			puts = append(puts, store.WPMapping{Site: im.site, Kind: KindAttachment, WPID: wpID,
				TargetID: a.MediaID, URL: a.Src, OldPath: oldPath(a.URL, im.base), Checksum: a.Sum})
			if ok {
				count.Updated++
			} else {
				count.Created++
			}
		}
		if a.Src != a.URL && a.URL != "" {
			pairs = append(pairs, a.URL, a.Src)
		}
	}
	if len(pairs) > 0 {
		im.rewrite = strings.NewReplacer(pairs...)
	}
	return im.st.PutWPMappings(ctx, puts)
}

// attachment copies one attachment's file into the media library, if the
// media folder has it and it is an image Masthead serves.
func (im *importer) attachment(ctx context.Context, a *attachment) error {
	a.Src, a.LeadSrc = a.URL, a.URL
	if im.opts.MediaDir == "" || im.lib == nil {
		return nil
	}
	rel := uploadsPath(a.File, a.URL)
	if rel == "" || strings.Contains(rel, "..") {
		im.sum.note("attachment %d (%s): no file name to look for in the media folder; its URL is kept", a.ID, a.URL)
		return nil
	}
	data, err := os.ReadFile(filepath.Join(im.opts.MediaDir, filepath.FromSlash(rel)))
	if err != nil {
		im.sum.note("attachment %d: %s is not in the media folder; its URL %s is kept", a.ID, rel, a.URL)
		return nil
	}
	by := int64(0)
	if au, ok := im.authors[wpKey(a.Creator)]; ok {
		by = au.ID
	}
	it, existing, err := im.lib.Upload(ctx, data, filepath.Base(rel), by)
	var rej *media.RejectError
	if errors.As(err, &rej) {
		im.sum.note("attachment %d (%s) is not an image the media library takes (%v); its URL is kept", a.ID, rel, err)
		return nil
	}
	if err != nil {
		return err
	}
	if !existing {
		if err := im.st.UpdateMediaText(ctx, it.ID, a.Alt, markup.HTMLText(a.Caption), ""); err != nil {
			return err
		}
	}
	a.MediaID, a.Src, a.LeadSrc, a.Width, a.Height, a.copied = it.ID, it.URL(), it.LeadURL(), it.Width, it.Height, true
	return nil
}

// ---- posts and pages

// wanted is the Masthead article a WordPress post or page should be.
type wanted struct {
	article   *news.Article
	status    news.Status
	publishAt time.Time // for a scheduled article
	author    news.Staff
	page      bool
	pageSlug  string
	menuOrder int
	oldPath   string
	sum       string

	wpID      int64  // the post's WordPress id
	html      string // the body as WordPress has it, until converted
	converted bool   // article.Body holds the Markdown
}

// convert turns the wanted article's body into Markdown (package
// wpcontent), only when it is about to be stored: an unchanged post is
// never converted.
func (im *importer) convert(ctx context.Context, w *wanted) error {
	if w.converted {
		return nil
	}
	copts := wpcontent.Options{Attached: im.scan.attachedTo[w.wpID], Attachment: func(id int64) (wpcontent.Attachment, bool) {
		at, ok := im.scan.attachments[id]
		if !ok {
			return wpcontent.Attachment{}, false
		}
		return wpcontent.Attachment{URL: at.Src, Alt: at.Alt, Caption: at.Caption}, true
	}}
	body, err := wpcontent.Convert(w.html, copts)
	if err != nil {
		return err
	}
	w.article.Body, w.html, w.converted = body, "", true
	return nil
}

func (im *importer) item(ctx context.Context, it *wxr.Item) error {
	kind := it.PostType
	switch kind {
	case "post", "page":
	case "attachment":
		return nil // brought in before the first item
	case "nav_menu_item":
		im.sum.skip(kind, strconv.FormatInt(it.PostID, 10), markup.HTMLLine(it.Title), "menus are not imported (Masthead's navigation is its sections)")
		return nil
	default:
		im.sum.skip(kind, strconv.FormatInt(it.PostID, 10), markup.HTMLLine(it.Title), "post type "+kind+" is not imported")
		return nil
	}
	id := strconv.FormatInt(it.PostID, 10)
	switch it.Status {
	case "trash":
		im.sum.skip(kind, id, markup.HTMLLine(it.Title), "in the trash")
		return nil
	case "auto-draft", "inherit":
		im.sum.skip(kind, id, markup.HTMLLine(it.Title), "an automatic draft or revision")
		return nil
	}
	w, err := im.want(ctx, it)
	if err != nil {
		return err
	}
	if w == nil {
		return nil
	}
	count := im.sum.Counts[kind]
	if im.batch.has(kind, id) {
		// The same post twice in one file: the first must be stored
		// before the second is compared with it.
		if err := im.flush(ctx); err != nil {
			return err
		}
	}
	// Mappings whose article was deleted in Masthead since are not
	// listed: the post is imported again.
	m, ok, err := im.mapping(ctx, kind, id)
	if err != nil {
		return err
	}
	if ok && m.Checksum == w.sum {
		count.Unchanged++ // nothing to convert or load
		if kind == "page" {
			im.pageArticles[it.PostID] = m.TargetID
		}
		if len(it.Comments) > 0 { // new comments may be stored
			if err := im.flushEarly(ctx); err != nil {
				return err
			}
		}
		return im.comments(ctx, it, m.TargetID)
	}
	if !ok && w.status == news.StatusPublished && !w.page {
		return im.queue(ctx, it, w) // the common case, stored many at a time
	}
	if !ok && !w.page {
		early, err := im.earlyStatus(ctx, w.status)
		if err != nil {
			return err
		}
		if early {
			return im.queueEarly(ctx, it, w)
		}
	}
	// The desk stores this one now: the early posts waiting first, to
	// keep every row's id what it would have been.
	if err := im.flushEarly(ctx); err != nil {
		return err
	}
	if err := im.convert(ctx, w); err != nil {
		return err
	}
	var a *news.Article
	if ok {
		if a, err = im.st.Article(ctx, m.TargetID); err != nil {
			return err
		}
		if a, err = im.update(ctx, a, w); err != nil {
			return err
		}
		count.Updated++
	} else {
		if a, err = im.create(ctx, w); err != nil {
			return err
		}
		count.Created++
	}
	if kind == "page" {
		im.pageArticles[it.PostID] = a.ID
	}
	if err := im.putMapping(ctx, store.WPMapping{Site: im.site, Kind: kind, WPID: id, TargetID: a.ID,
		OldPath: w.oldPath, Checksum: w.sum}); err != nil {
		return err
	}
	return im.comments(ctx, it, a.ID)
}

// want builds the article a post or page should become.
func (im *importer) want(ctx context.Context, it *wxr.Item) (*wanted, error) {
	id := strconv.FormatInt(it.PostID, 10)
	page := it.PostType == "page"
	au, err := im.byline(ctx, it.Creator)
	if err != nil {
		return nil, err
	}
	a := &news.Article{Authors: []news.Staff{au}, CommentsOpen: it.CommentStatus == "open", Featured: it.IsSticky}
	for _, m := range it.Meta {
		switch m.Key {
		case metaBylines: // a Masthead export's co-authors
			a.Authors = a.Authors[:0]
			for _, l := range strings.Split(m.Value, ",") {
				other, err := im.byline(ctx, l)
				if err != nil {
					return nil, err
				}
				a.Authors = append(a.Authors, other)
			}
		case metaSEOTitle:
			a.SEOTitle = m.Value
		case metaSEODescription:
			a.SEODescription = m.Value
		}
	}

	// Headline: text only, never empty, at most 300 characters.
	a.Headline = markup.HTMLLine(it.Title)
	if a.Headline == "" {
		a.Headline = untitled(it.Content)
		im.sum.note("%s %s had no title; it is headed “%s”", it.PostType, id, a.Headline)
	}
	if utf8.RuneCountInString(a.Headline) > 300 {
		im.sum.note("%s %s: the title was cut to 300 characters", it.PostType, id)
		a.Headline = truncate(a.Headline, 300)
	}
	a.Slug = wpSlug(it.PostName, a.Headline)
	a.Standfirst = markup.HTMLText(it.Excerpt)

	// The body, with attachments the import copied served from here.
	content := it.Content
	if im.rewrite != nil {
		content = im.rewrite.Replace(content)
	}
	md, isMarkdown := mastheadMarkdown(it)
	if isMarkdown {
		a.Body, content = md, ""
	}

	// Categories and tags: the first category is the section; the others
	// become tags of the same name.
	var tagNames []string
	for _, c := range it.Terms() {
		switch c.Domain {
		case wxr.TaxonomyCategory:
			sec, err := im.section(ctx, c.Nicename, c.Name, "", "")
			if err != nil {
				return nil, err
			}
			if page {
				continue
			}
			if a.Section == nil {
				a.Section = sec
			} else if sec.ID != a.Section.ID {
				tagNames = append(tagNames, sec.Name)
			}
		case wxr.TaxonomyTag:
			t, err := im.tag(ctx, c.Nicename, c.Name)
			if err != nil {
				return nil, err
			}
			tagNames = append(tagNames, t.Name)
		}
	}
	for _, n := range tagNames {
		t, ok := im.tagByName[n]
		if !ok {
			if t, err = im.st.EnsureTag(ctx, n); err != nil {
				return nil, err
			}
			im.tagByName[n] = t
		}
		a.Tags = append(a.Tags, t)
	}

	// The featured image, which must have alt text to be published.
	for _, m := range it.Meta {
		if m.Key != "_thumbnail_id" {
			continue
		}
		tid, _ := strconv.ParseInt(strings.TrimSpace(m.Value), 10, 64)
		at, ok := im.scan.attachments[tid]
		if !ok {
			im.sum.note("%s %s: its featured image (attachment %s) is not in the export", it.PostType, id, m.Value)
			break
		}
		img := &news.Image{URL: at.LeadSrc, Alt: at.Alt, Caption: markup.HTMLText(at.Caption), Credit: at.Credit, Width: at.Width, Height: at.Height}
		if img.Alt == "" {
			img.Alt = firstOf(img.Caption, at.Title)
			if img.Alt != "" {
				im.sum.note("%s %s: its featured image had no alt text; its %s is used — check it", it.PostType, id, map[bool]string{true: "caption", false: "title"}[img.Caption != ""])
			}
		}
		if img.Alt == "" {
			im.sum.note("%s %s: its featured image has no alt text, caption or title, so it is not used as the lead image", it.PostType, id)
			break
		}
		a.LeadImage = img
	}

	// Dates: UTC when the export has it, else local in the newsroom's zone.
	date, err := im.date(it.PostDateGMT, it.PostDate)
	if err != nil {
		return nil, err
	}
	if date.IsZero() {
		date = im.opts.Now()
	}
	modified, err := im.date(it.PostModifiedGMT, it.PostModified)
	if err != nil {
		return nil, err
	}
	a.PublishedAt, a.ModifiedAt, a.CreatedAt = date, modified, date

	w := &wanted{article: a, author: au, page: page, oldPath: oldPath(it.Link, im.base), wpID: it.PostID, html: content, converted: isMarkdown}
	switch it.Status {
	case "publish":
		w.status = news.StatusPublished
	case "future":
		w.status = news.StatusScheduled
		w.publishAt = date
		if !date.After(im.opts.Now()) {
			w.status = news.StatusPublished // its time has passed: WordPress would have published it
		}
	case "draft":
		w.status = news.StatusDraft
	case "pending":
		w.status = news.StatusReview
	case "private":
		w.status = news.StatusUnpublished
	default:
		im.sum.skip(it.PostType, id, a.Headline, "unknown status "+strconv.Quote(it.Status))
		return nil, nil
	}
	if it.PostPassword != "" && (w.status == news.StatusPublished || w.status == news.StatusScheduled) {
		w.status = news.StatusUnpublished
		im.sum.note("%s %s (“%s”) was password-protected; Masthead has no post passwords, so it is imported unpublished", it.PostType, id, truncate(a.Headline, 40))
	}
	if page {
		w.pageSlug = im.scan.pageSlug(it.PostID)
		if w.pageSlug == "" {
			w.pageSlug = a.Slug
		}
		w.menuOrder = int(it.MenuOrder)
	}
	// What decides whether a re-import changes anything: the item as read
	// (less the comments, checked on their own, and edit locks), and what
	// it points to that may change elsewhere in the file.
	meta := make([]wxr.Meta, 0, len(it.Meta))
	for _, m := range it.Meta {
		if !strings.HasPrefix(m.Key, "_edit_") {
			meta = append(meta, m)
		}
	}
	item := *it
	item.Comments, item.Meta = nil, meta
	var lead news.Image
	if a.LeadImage != nil {
		lead = *a.LeadImage
	}
	w.sum = checksum(struct {
		Item  wxr.Item
		Lead  news.Image
		Page  string
		Sched bool
	}{item, lead, w.pageSlug, w.status == news.StatusScheduled})
	return w, nil
}

// date reads an item's UTC date, or its local one in the newsroom's zone.
func (im *importer) date(gmt, local string) (time.Time, error) {
	if t, err := wxr.ParseDate(gmt, time.UTC); err != nil || !t.IsZero() {
		return t, err
	}
	return wxr.ParseDate(local, im.opts.Location)
}

// untitled heads a post that has no title with its first words.
func untitled(body string) string {
	words := strings.Fields(markup.HTMLText(body))
	if len(words) == 0 {
		return "(no title)"
	}
	if len(words) > 8 {
		return strings.Join(words[:8], " ") + "…"
	}
	return strings.Join(words, " ")
}

// actor is who the desk sees doing an import's work: the article's own
// author, with the rights an import needs.
func actor(au news.Staff) news.Actor { return news.Actor{ID: au.ID, Role: news.RoleAdmin} }

// create makes a new article through the desk.
func (im *importer) create(ctx context.Context, w *wanted) (*news.Article, error) {
	a := w.article
	switch w.status {
	case news.StatusPublished, news.StatusUnpublished:
		// The first publication is the WordPress date, and fixes the path.
		if err := im.desk.CreatePublished(ctx, a); err != nil {
			return nil, err
		}
		if err := im.st.RecordFirstRevision(ctx, a, w.author.ID); err != nil {
			return nil, err
		}
		if w.status == news.StatusUnpublished {
			var err error
			if a, err = im.desk.Transition(ctx, actor(w.author), a.ID, news.ActionUnpublish, time.Time{}, "imported from WordPress"); err != nil {
				return nil, err
			}
		}
	default:
		created, err := im.desk.Create(ctx, actor(w.author), a.Snapshot())
		if err != nil {
			return nil, err
		}
		a = created
		if err := im.moveTo(ctx, a, w); err != nil {
			return nil, err
		}
	}
	if !w.article.ModifiedAt.IsZero() {
		if err := im.st.SetModified(ctx, a.ID, w.article.ModifiedAt); err != nil {
			return nil, err
		}
	}
	if w.page {
		if err := im.putPage(ctx, a.ID, w); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// update brings an article imported before up to date with a newer export:
// a new revision through the desk, then any change of status.
func (im *importer) update(ctx context.Context, cur *news.Article, w *wanted) (*news.Article, error) {
	snap := w.article.Snapshot()
	res, err := im.desk.Save(ctx, actor(w.author), cur.ID, cur.Version, snap, false, "save")
	if err != nil {
		return nil, err
	}
	a := res.Article
	if err := im.moveTo(ctx, a, w); err != nil {
		return nil, err
	}
	if w.page {
		if err := im.putPage(ctx, a.ID, w); err != nil {
			return nil, err
		}
	}
	return im.st.Article(ctx, a.ID)
}

// moveTo takes an article through the workflow to the wanted status. A
// first publication gets the WordPress date (and the dated path that goes
// with it), not the moment of the import.
func (im *importer) moveTo(ctx context.Context, a *news.Article, w *wanted) error {
	who := actor(w.author)
	step := func(action news.Action, at time.Time) error {
		next, err := im.desk.Transition(ctx, who, a.ID, action, at, "imported from WordPress")
		if err != nil {
			return err
		}
		*a = *next
		return nil
	}
	for range 3 {
		if a.Status == w.status {
			return nil
		}
		var err error
		switch w.status {
		case news.StatusDraft:
			switch a.Status {
			case news.StatusReview:
				err = step(news.ActionReturn, time.Time{})
			case news.StatusScheduled:
				err = step(news.ActionUnschedule, time.Time{})
			case news.StatusPublished:
				err = step(news.ActionUnpublish, time.Time{})
			default:
				return nil // unpublished is as close to a draft as a published article gets
			}
		case news.StatusReview:
			if a.Status == news.StatusDraft {
				err = step(news.ActionSubmit, time.Time{})
			} else {
				return nil
			}
		case news.StatusScheduled:
			if a.Status == news.StatusPublished {
				return nil
			}
			if a.Status == news.StatusScheduled {
				return nil
			}
			err = step(news.ActionSchedule, w.publishAt)
			var fe news.FieldErrors
			if errors.As(err, &fe) {
				im.sum.note("article %d (“%s”) was scheduled in WordPress but cannot be scheduled here (%v); it is a draft", a.ID, truncate(a.Headline, 40), fe)
				return nil
			}
		case news.StatusPublished:
			first := a.Path == ""
			err = step(news.ActionPublish, time.Time{})
			var fe news.FieldErrors
			if errors.As(err, &fe) {
				im.sum.note("article %d (“%s”) is published in WordPress but cannot be published here (%v); it is left %s", a.ID, truncate(a.Headline, 40), fe, a.Status)
				return nil
			}
			if err == nil && first {
				err = im.backdate(ctx, a, w.article.PublishedAt)
			}
		case news.StatusUnpublished:
			if a.Status == news.StatusPublished {
				err = step(news.ActionUnpublish, time.Time{})
			} else {
				return nil // a draft stays out of sight as it is
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// backdate gives a just-published article its WordPress publication date
// and the dated path that goes with it.
func (im *importer) backdate(ctx context.Context, a *news.Article, at time.Time) error {
	if w := a.Path; strings.HasPrefix(w, "page/") {
		return im.st.SetPublishedAt(ctx, a.ID, at, w)
	}
	for n := 1; n < 100; n++ {
		slug := a.Slug
		if n > 1 {
			slug = news.SlugWithSuffix(a.Slug, n)
		}
		path := news.ArticlePath(at, im.opts.Location, slug)
		if path != a.Path {
			taken, err := im.st.PathTaken(ctx, path)
			if err != nil {
				return err
			}
			if taken {
				continue
			}
		}
		if err := im.st.SetPublishedAt(ctx, a.ID, at, path); err != nil {
			return err
		}
		a.Path, a.Slug, a.PublishedAt = path, slug, at
		return nil
	}
	return fmt.Errorf("no free path for %q", a.Slug)
}

// putPage marks the article as a page with a free slug.
func (im *importer) putPage(ctx context.Context, articleID int64, w *wanted) error {
	cur, err := im.st.PageOf(ctx, articleID)
	if err == nil && (cur.Slug == w.pageSlug || strings.HasPrefix(cur.Slug, w.pageSlug+"-")) {
		cur.MenuOrder = w.menuOrder
		return im.st.PutPage(ctx, cur)
	}
	if err != nil && !errors.Is(err, news.ErrNotFound) {
		return err
	}
	slug := w.pageSlug
	for n := 2; ; n++ {
		taken, err := im.st.PageSlugTaken(ctx, slug, articleID)
		if err != nil {
			return err
		}
		if !taken {
			break
		}
		slug = w.pageSlug + "-" + strconv.Itoa(n)
	}
	return im.st.PutPage(ctx, news.Page{ArticleID: articleID, Slug: slug, MenuOrder: w.menuOrder})
}

// pageTree links each imported page to its parent page.
func (im *importer) pageTree(ctx context.Context) error {
	ids := make([]int64, 0, len(im.pageArticles))
	for id := range im.pageArticles {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, wpID := range ids {
		articleID := im.pageArticles[wpID]
		parentWP := im.scan.pages[wpID].parent
		if parentWP == 0 {
			continue
		}
		parent, ok := im.pageArticles[parentWP]
		if !ok {
			m, found, err := im.st.WPMapping(ctx, im.site, KindPage, strconv.FormatInt(parentWP, 10))
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			parent = m.TargetID
		}
		p, err := im.st.PageOf(ctx, articleID)
		if err != nil {
			return err
		}
		if p.ParentID == parent {
			continue
		}
		p.ParentID = parent
		if err := im.st.PutPage(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// ---- comments

// comments brings in an item's comments, parents before replies.
func (im *importer) comments(ctx context.Context, it *wxr.Item, articleID int64) error {
	list := parentsFirst(it.Comments)
	ids := map[int64]int64{} // WordPress comment id → Masthead id
	count := im.sum.Counts[KindComment]
	for _, wc := range list {
		wpID := strconv.FormatInt(wc.ID, 10)
		c, err := im.comment(wc, articleID)
		if err != nil {
			return fmt.Errorf("comment %s: %w", wpID, err)
		}
		c.ParentID = ids[wc.Parent]
		sum := commentSum(wc, c.ParentID)
		// Comments deleted in Masthead since are not listed, and are
		// imported again.
		m, ok, err := im.mapping(ctx, KindComment, wpID)
		if err != nil {
			return err
		}
		switch {
		case ok && m.Checksum == sum:
			ids[wc.ID] = m.TargetID
			count.Unchanged++
			continue
		case ok:
			c.ID = m.TargetID
			if err := im.st.UpdateImportedComment(ctx, c); err != nil {
				return err
			}
			count.Updated++
		default:
			if err := im.st.CreateComment(ctx, c); err != nil {
				return err
			}
			count.Created++
		}
		ids[wc.ID] = c.ID
		if err := im.putMapping(ctx, store.WPMapping{Site: im.site, Kind: KindComment, WPID: wpID, TargetID: c.ID, Checksum: sum}); err != nil {
			return err
		}
	}
	return nil
}

// commentSum is what decides whether a re-imported comment changed.
func commentSum(wc wxr.Comment, parentID int64) string {
	return checksum(struct {
		C      wxr.Comment
		Parent int64
	}{wc, parentID})
}

// parentsFirst orders comments so every parent comes before its replies
// (WordPress exports them by id, which usually but not always does).
func parentsFirst(comments []wxr.Comment) []wxr.Comment {
	list := append([]wxr.Comment(nil), comments...)
	byID := map[int64]bool{}
	for _, c := range list {
		byID[c.ID] = true
	}
	parents := make(map[int64]int64, len(list))
	for _, c := range list {
		parents[c.ID] = c.Parent
	}
	depths := make(map[int64]int, len(list))
	var depth func(id int64, guard int) int
	depth = func(id int64, guard int) int {
		p := parents[id]
		if p == 0 || !byID[p] || guard > len(list) {
			return 0
		}
		if d, ok := depths[id]; ok {
			return d
		}
		d := depth(p, guard+1) + 1
		depths[id] = d
		return d
	}
	sort.SliceStable(list, func(i, j int) bool { return depth(list[i].ID, 0) < depth(list[j].ID, 0) })
	return list
}

// comment is the Masthead comment a WordPress comment becomes.
func (im *importer) comment(wc wxr.Comment, articleID int64) (*news.Comment, error) {
	at, err := im.date(wc.DateGMT, wc.Date)
	if err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = im.opts.Now()
	}
	c := &news.Comment{ArticleID: articleID, Name: markup.HTMLLine(wc.Author), Email: strings.TrimSpace(wc.AuthorEmail),
		Website: strings.TrimSpace(wc.AuthorURL), Body: markup.HTMLText(wc.Content), IP: wc.AuthorIP, CreatedAt: at}
	if c.Name == "" {
		c.Name = "Anonymous"
	}
	switch wc.Approved {
	case "1", "approve", "approved":
		c.Status = news.CommentApproved
	case "spam":
		c.Status = news.CommentSpam
	case "trash", "post-trashed":
		c.Status = news.CommentTrash
	default:
		c.Status = news.CommentPending
	}
	if wc.UserID != 0 {
		_, c.IsStaff = im.wpUsers[wc.UserID]
	}
	return c, nil
}
