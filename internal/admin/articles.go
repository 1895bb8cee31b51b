package admin

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// articleRow is an article in a newsroom list, with whether the member of
// staff may open it in the editor (else it links to the public page, if
// any): no list offers a link that ends in "Not allowed".
type articleRow struct {
	*news.Article
	Open bool
	// TrashToken, on the article list, is the CSRF token for the row's
	// "Move to trash" button; "" offers none.
	TrashToken string
	// Likes and Boosts are the fediverse's, on the article list.
	Likes, Boosts int
	// Returned, on the dashboard's drafts, is the editor's return of one
	// sent back.
	Returned *news.Event
}

func (s *Server) articleRows(me news.Actor, list []*news.Article) []articleRow {
	rows := make([]articleRow, len(list))
	for i, a := range list {
		rows[i] = articleRow{Article: a, Open: s.desk.MayOpen(me, a)}
	}
	return rows
}

type dashboardPage struct {
	Layout                                 render.AdminLayout
	Counts                                 map[string]int
	MyDrafts, Review, Scheduled, Published []articleRow
	CanModerate                            bool
	PendingComments                        int
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	me := actor(r)
	d, err := s.desk.Dashboard(r.Context(), me)
	if err != nil {
		return err
	}
	data := dashboardPage{Layout: s.layout(r, "Dashboard", "dashboard"), Counts: map[string]int{},
		MyDrafts: s.articleRows(me, d.MyDrafts), Review: s.articleRows(me, d.Review), Scheduled: s.articleRows(me, d.Scheduled),
		Published: s.articleRows(me, d.Published), CanModerate: s.desk.Abilities(me).Moderate, PendingComments: d.PendingComments}
	for i, row := range data.MyDrafts {
		if e, ok := d.Returned[row.ID]; ok {
			data.MyDrafts[i].Returned = &e
		}
	}
	for st, n := range d.Counts {
		data.Counts[string(st)] = n
	}
	return s.page(w, http.StatusOK, "dashboard", data)
}

// articlesPageSize is how many articles one page of the list shows.
const articlesPageSize = 50

// maxArticleQuery is the longest search the list takes, in characters.
const maxArticleQuery = 200

type statusTab struct {
	Label, URL string
	Current    bool
}

type articlesPage struct {
	Layout           render.AdminLayout
	Status           news.Status
	Tabs             []statusTab
	Query            string
	ClearURL         string // the list without the search
	Articles         []articleRow
	Total            int
	Page, Pages      int
	PrevURL, NextURL string
}

var allStatuses = []news.Status{news.StatusDraft, news.StatusReview, news.StatusScheduled, news.StatusPublished, news.StatusUnpublished}

// articlesURL is the list with a status filter, a search and a page.
func articlesURL(status news.Status, q string, page int) string {
	v := url.Values{}
	if status != "" {
		v.Set("status", string(status))
	}
	if q != "" {
		v.Set("q", q)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/admin/articles"
	}
	return "/admin/articles?" + v.Encode()
}

// articleList lists articles of every status, optionally one status, a
// search over their text (?q=) and a page (?page=). Writers see their own
// work only.
func (s *Server) articleList(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	status := news.Status(qs.Get("status"))
	valid := status == ""
	for _, st := range allStatuses {
		valid = valid || st == status
	}
	if !valid {
		return edge.BadRequest("Unknown status filter.")
	}
	page, err := pageNumber(qs)
	if err != nil {
		return err
	}
	query := searchText(qs.Get("q"))
	f := news.AdminFilter{Status: status, Kind: news.KindStory, Text: query, Limit: articlesPageSize, Offset: (page - 1) * articlesPageSize}
	list, total, err := s.desk.Articles(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	// A page past the end (its articles just moved to another status)
	// shows the last page rather than nothing.
	data := articlesPage{Layout: s.layout(r, "Articles", "articles"), Status: status, Query: query, Total: total, Articles: s.articleRows(actor(r), list),
		Pages: max(1, (total+articlesPageSize-1)/articlesPageSize)}
	for i := range data.Articles {
		if s.desk.MayTrash(actor(r), data.Articles[i].Article) {
			data.Articles[i].TrashToken = data.Layout.CSRF
		}
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	reactions, err := s.desk.ArticleReactions(r.Context(), ids)
	if err != nil {
		return err
	}
	for i := range data.Articles {
		re := reactions[data.Articles[i].ID]
		data.Articles[i].Likes, data.Articles[i].Boosts = re.Likes, re.Boosts
	}
	data.Page = min(page, data.Pages)
	data.Tabs, data.ClearURL = statusTabs(status, query), articlesURL(status, "", 1)
	if data.Page > 1 {
		data.PrevURL = articlesURL(status, query, data.Page-1)
	}
	if data.Page < data.Pages {
		data.NextURL = articlesURL(status, query, data.Page+1)
	}
	return s.page(w, http.StatusOK, "articles", data)
}

// statusTabs are the status filters, each keeping the search.
func statusTabs(current news.Status, q string) []statusTab {
	tabs := []statusTab{{Label: "All", URL: articlesURL("", q, 1), Current: current == ""}}
	for _, st := range allStatuses {
		tabs = append(tabs, statusTab{Label: string(st), URL: articlesURL(st, q, 1), Current: st == current})
	}
	return append(tabs, trashTab)
}

// searchText is a search as typed, made safe to keep and show: valid
// UTF-8 without NULs, trimmed, at most maxArticleQuery characters.
func searchText(q string) string {
	q = strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(q, ""), "\x00", ""))
	if r := []rune(q); len(r) > maxArticleQuery {
		q = strings.TrimSpace(string(r[:maxArticleQuery]))
	}
	return q
}

type actionButton struct{ Name, Label, Class string }

// actionOrder is the order of the editor's workflow buttons.
var actionOrder = []news.Action{news.ActionSubmit, news.ActionPublish, news.ActionSchedule, news.ActionReturn, news.ActionUnschedule, news.ActionUnpublish}

var actionButtons = map[news.Action]actionButton{
	news.ActionSubmit:     {string(news.ActionSubmit), "Submit for review", ""},
	news.ActionPublish:    {string(news.ActionPublish), "Publish now", ""},
	news.ActionSchedule:   {string(news.ActionSchedule), "Schedule", "secondary"},
	news.ActionReturn:     {string(news.ActionReturn), "Return to writer", "secondary"},
	news.ActionUnschedule: {string(news.ActionUnschedule), "Cancel schedule", "secondary"},
	news.ActionUnpublish:  {string(news.ActionUnpublish), "Unpublish", "danger"},
}

type autosaveInfo struct{ SavedAt time.Time }

type editPage struct {
	Layout         render.AdminLayout
	Article        *news.Article
	Version        int
	Form           news.Snapshot
	TagList        string
	Sections       []news.Section
	Staff          []news.Staff
	BylineSlots    []int64
	Errors         news.FieldErrors
	Conflict       int64
	Autosave       *autosaveInfo
	PreviewHTML    string
	Words, Minutes int    // in the body as readers will see it, and the minutes they take to read
	EditorHTML     string // the body as the visual editor's blocks
	AutosaveSlot   int64  // where a new article or page keeps its unsaved text
	Actions        []actionButton
	CanCorrect     bool
	CanFeature     bool         // editors arrange the front page
	Trashable      bool         // the member of staff may move the article to the trash, or restore it
	Held           string       // why the workflow offers nothing (an editor's takedown, a story in an editor's hands)
	ReadOnly       bool         // the article opens for the user but cannot be changed (a contributor's published story, the trash)
	Returned       *news.Event  // why an editor sent this draft back, while it is still the draft they returned
	Others         []editingRow // colleagues changing the article, not yet saved
	StepNote       string       // the note typed for a step that was refused
	CorrectionText string
	Events         []news.Event
	Zone           string
	Quotes         []news.Quote  // the Quotes panel (quotes.go)
	Speakers       []news.Person // names offered for a quote's speaker
	// Page is set when the article is a static page (pages.go): the
	// editor leaves out what only news has (section, tags, the front page).
	Page *news.Page
	// Alerts are the breaking-news newsletters Publish may also send to;
	// AlertChosen those ticked.
	Alerts      []news.Newsletter
	AlertChosen map[int64]bool
	// Likes and Boosts are the fediverse's reactions to the article.
	Likes, Boosts int
}

// renderEditor shows the editor for a (nil for a new article) with form
// values, which are what the writer typed when a save failed.
func (s *Server) renderEditor(w http.ResponseWriter, r *http.Request, status int, a *news.Article, form news.Snapshot, version int, errs news.FieldErrors, conflict int64) error {
	return s.renderEditorOf(w, r, status, a, nil, form, version, errs, conflict)
}

// renderEditorOf is renderEditor for an article that may be a static page:
// page is set for a new page, and found for a stored article.
func (s *Server) renderEditorOf(w http.ResponseWriter, r *http.Request, status int, a *news.Article, page *news.Page, form news.Snapshot, version int, errs news.FieldErrors, conflict int64) error {
	ctx := r.Context()
	me := actor(r)
	if a != nil {
		switch pg, err := s.desk.PageOf(ctx, a.ID); {
		case err == nil:
			page = &pg
		case !errors.Is(err, news.ErrNotFound):
			return err
		}
	}
	title := "New article"
	switch {
	case a != nil:
		title = "Edit: " + a.Headline
	case page != nil:
		title = "New page"
	}
	data := editPage{Layout: s.layout(r, title, "new"), Article: a, Version: version, Form: form, TagList: strings.Join(form.Tags, ", "),
		Errors: errs, Conflict: conflict, CanFeature: s.desk.Abilities(me).EditAny && page == nil, Page: page}
	loc, err := s.desk.Location(ctx)
	if err != nil {
		return err
	}
	data.Zone = loc.String()
	switch {
	case page != nil:
		data.Layout.Current = "pages"
	case a != nil:
		data.Layout.Current = "articles"
	}
	if data.Sections, err = s.desk.Sections(ctx); err != nil {
		return err
	}
	if data.Staff, err = s.desk.BylineChoices(ctx); err != nil {
		return err
	}
	data.BylineSlots = append([]int64{}, form.AuthorIDs...)
	for len(data.BylineSlots) < 3 {
		data.BylineSlots = append(data.BylineSlots, 0)
	}
	if h, text, err := s.markup.PreviewText(form.Body); err == nil && form.Body != "" {
		data.PreviewHTML, data.Words = h, news.CountWords(text)
		data.Minutes = news.ReadingMinutes(data.Words)
	}
	data.EditorHTML = s.editorHTML(r, form.Body)
	var articleID int64
	if a == nil && page != nil {
		articleID = newsroom.NewPageDraft
	}
	data.AutosaveSlot = articleID
	if a != nil {
		articleID = a.ID
		data.Trashable = s.desk.MayTrash(me, a)
		data.ReadOnly = !s.desk.MayEdit(me, a) || a.Trash != nil
		actions, held, err := s.desk.Actions(ctx, me, a, actionOrder)
		if err != nil {
			return err
		}
		data.Held = held
		for _, act := range actions {
			data.Actions = append(data.Actions, actionButtons[act])
			if act == news.ActionPublish {
				if data.Alerts, err = s.desk.AlertNewsletters(ctx, me); err != nil {
					return err
				}
				data.AlertChosen = chosenAlerts(r)
			}
		}
		data.CanCorrect = s.desk.Abilities(me).Correct
		data.CorrectionText = r.PostFormValue("correction")
		if data.Events, err = s.desk.History(ctx, me, a.ID); err != nil {
			return err
		}
		if n := len(data.Events); n > 0 && a.Status == news.StatusDraft {
			if last := data.Events[n-1]; last.Action == string(news.ActionReturn) {
				data.Returned = &last
			}
		}
		if !data.ReadOnly {
			others, err := s.desk.OthersEditing(ctx, me, a)
			if err != nil {
				return err
			}
			data.Others = s.editingRows(others)
		}
		data.StepNote = r.PostFormValue("note")
		if data.Quotes, data.Speakers, err = s.quotesPanel(r, a); err != nil {
			return err
		}
		reactions, err := s.desk.ArticleReactions(ctx, []int64{a.ID})
		if err != nil {
			return err
		}
		data.Likes, data.Boosts = reactions[a.ID].Likes, reactions[a.ID].Boosts
	}
	if status == http.StatusOK && r.URL.Query().Get("restore") == "" {
		_, at, ok, err := s.desk.Autosaved(ctx, me, articleID)
		if err != nil {
			return err
		}
		if ok && (a == nil || at.After(a.ModifiedAt)) {
			data.Autosave = &autosaveInfo{SavedAt: at}
		}
	}
	return s.page(w, status, "edit", data)
}

func (s *Server) articleNew(w http.ResponseWriter, r *http.Request) error {
	form, err := s.newForm(r, 0)
	if err != nil {
		return err
	}
	return s.renderEditor(w, r, http.StatusOK, nil, form, 0, nil, 0)
}

// newForm is the editor of a new article or page: blank as the site's
// comment policy starts it, or the writer's autosave when they restore it.
// slot is where its autosave is kept: 0 for an article,
// newsroom.NewPageDraft for a page.
func (s *Server) newForm(r *http.Request, slot int64) (news.Snapshot, error) {
	form, err := s.desk.NewSnapshot(r.Context(), actor(r))
	if err != nil {
		return form, err
	}
	if r.URL.Query().Get("restore") == "autosave" {
		snap, _, ok, err := s.desk.Autosaved(r.Context(), actor(r), slot)
		if err != nil {
			return form, err
		}
		if ok {
			form = snap
		}
	}
	return form, nil
}

// parseForm reads the editor form into a snapshot.
func parseForm(r *http.Request) news.Snapshot {
	f := r.PostForm
	snap := news.Snapshot{
		Headline: f.Get("headline"), Slug: strings.TrimSpace(f.Get("slug")), Standfirst: f.Get("standfirst"),
		Body:     strings.ReplaceAll(f.Get("body"), "\r\n", "\n"),
		ImageURL: strings.TrimSpace(f.Get("image_url")), ImageAlt: strings.TrimSpace(f.Get("image_alt")),
		ImageCaption: strings.TrimSpace(f.Get("image_caption")), ImageCredit: strings.TrimSpace(f.Get("image_credit")),
		SEOTitle: f.Get("seo_title"), SEODescription: f.Get("seo_description"),
		CommentsOpen: f.Get("comments_open") != "", Featured: f.Get("featured") != "",
	}
	snap.SectionID, _ = strconv.ParseInt(f.Get("section"), 10, 64)
	seen := map[int64]bool{}
	for _, v := range f["author"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && !seen[id] {
			seen[id] = true
			snap.AuthorIDs = append(snap.AuthorIDs, id)
		}
	}
	for _, t := range strings.Split(f.Get("tags"), ",") {
		if t = strings.TrimSpace(t); t != "" && len(snap.Tags) < 20 {
			snap.Tags = append(snap.Tags, t)
		}
	}
	return snap
}

// formErrors returns the messages an editor form shows beside its fields
// when err is one; the service's refusal of someone else's byline is shown
// beside the bylines, so the writer keeps their text.
func formErrors(err error) (news.FieldErrors, bool) {
	var fe news.FieldErrors
	switch {
	case errors.As(err, &fe):
		return fe, true
	case errors.Is(err, news.ErrOthersByline):
		return news.FieldErrors{"authors": "Only editors can give an article someone else's byline. Keep your own name as the byline, or ask an editor."}, true
	}
	return nil, false
}

func (s *Server) articleCreate(w http.ResponseWriter, r *http.Request) error {
	form := parseForm(r)
	a, err := s.desk.Create(r.Context(), actor(r), form)
	if fe, ok := formErrors(err); ok {
		return s.renderEditor(w, r, http.StatusUnprocessableEntity, nil, form, 0, fe, 0)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d?done=created", a.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) loadEditable(r *http.Request) (*news.Article, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.desk.EditableArticle(r.Context(), actor(r), id)
}

func (s *Server) articleEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadEditable(r)
	if err != nil {
		return err
	}
	form := a.Snapshot()
	if r.URL.Query().Get("restore") == "autosave" {
		snap, _, ok, err := s.desk.Autosaved(r.Context(), actor(r), a.ID)
		if err != nil {
			return err
		}
		if ok {
			form = snap
		}
	}
	return s.renderEditor(w, r, http.StatusOK, a, form, a.Version, nil, 0)
}

func (s *Server) articleSave(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadEditable(r)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		return edge.BadRequest("The form is missing the article's version. Reload the editor.")
	}
	form := parseForm(r)
	// A workflow button (Publish, Schedule …) submits the editor form too,
	// so what was typed since the last save goes out with the step, or
	// comes back with the reason it could not.
	action := news.Action(r.PostForm.Get("action"))
	var res newsroom.SaveResult
	if action == "" {
		res, err = s.desk.Save(r.Context(), actor(r), a.ID, version, form, r.PostForm.Get("mark_updated") != "", "")
	} else {
		step := newsroom.Step{Action: action, Note: strings.TrimSpace(r.PostForm.Get("note"))}
		for id := range chosenAlerts(r) {
			step.Alerts = append(step.Alerts, id)
		}
		if step.PublishAt, err = s.publishAt(r); err != nil {
			return s.renderEditor(w, r, http.StatusUnprocessableEntity, a, form, version, news.FieldErrors{"publish_at": err.Error()}, 0)
		}
		res, err = s.desk.SaveAndStep(r.Context(), actor(r), a.ID, version, form, step)
	}
	fe, isForm := formErrors(err)
	switch {
	case errors.Is(err, news.ErrStale):
		current, lerr := s.desk.EditableArticle(r.Context(), actor(r), a.ID)
		if lerr != nil {
			return lerr
		}
		// Show the writer's own text against the current version number,
		// so saving again is a deliberate choice to replace the other edit.
		return s.renderEditor(w, r, http.StatusConflict, current, form, current.Version, nil, res.ConflictID)
	case isForm:
		return s.renderEditor(w, r, http.StatusUnprocessableEntity, a, form, version, fe, 0)
	case err != nil:
		return err
	}
	done := "saved"
	if action != "" {
		done = stepDone(news.Action(action))
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d?done=%s", a.ID, done), http.StatusSeeOther)
	return nil
}

// chosenAlerts are the breaking-news newsletters ticked beside Publish.
func chosenAlerts(r *http.Request) map[int64]bool {
	chosen := map[int64]bool{}
	for _, v := range r.PostForm["alert"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			chosen[id] = true
		}
	}
	return chosen
}

// publishAt reads the Schedule field, in the newsroom's time zone; the
// zero time when it is empty.
func (s *Server) publishAt(r *http.Request) (time.Time, error) {
	v := r.PostForm.Get("publish_at")
	if v == "" {
		return time.Time{}, nil
	}
	loc, err := s.desk.Location(r.Context())
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", v, loc)
	if err != nil {
		return time.Time{}, errors.New("Give a date and time like 2026-12-01 09:30.")
	}
	return t, nil
}

func (s *Server) articleWorkflow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadEditable(r)
	if err != nil {
		return err
	}
	publishAt, err := s.publishAt(r)
	if err != nil {
		return s.renderEditor(w, r, http.StatusUnprocessableEntity, a, a.Snapshot(), a.Version, news.FieldErrors{"publish_at": err.Error()}, 0)
	}
	_, err = s.desk.Transition(r.Context(), actor(r), a.ID, news.Action(r.PostForm.Get("action")), publishAt, strings.TrimSpace(r.PostForm.Get("note")))
	var fe news.FieldErrors
	switch {
	case errors.As(err, &fe):
		return s.renderEditor(w, r, http.StatusUnprocessableEntity, a, a.Snapshot(), a.Version, fe, 0)
	case errors.Is(err, news.ErrStale):
		return &edge.Error{Status: http.StatusConflict, Message: "Someone else changed this article's status a moment ago. Reload the editor to see where it stands."}
	case err != nil:
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d?done=%s", a.ID, stepDone(news.Action(r.PostForm.Get("action")))), http.StatusSeeOther)
	return nil
}

// stepDone names the confirmation (flashes) of a workflow step taken.
func stepDone(act news.Action) string {
	switch act {
	case news.ActionSubmit:
		return "submitted"
	case news.ActionReturn:
		return "returned"
	case news.ActionPublish:
		return "published"
	case news.ActionSchedule:
		return "scheduled"
	case news.ActionUnschedule:
		return "unscheduled"
	case news.ActionUnpublish:
		return "unpublished"
	}
	return "moved"
}

func (s *Server) articleCorrect(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadEditable(r)
	if err != nil {
		return err
	}
	err = s.desk.Correct(r.Context(), actor(r), a.ID, r.PostForm.Get("kind"), r.PostForm.Get("correction"))
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderEditor(w, r, http.StatusUnprocessableEntity, a, a.Snapshot(), a.Version, fe, 0)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d?done=corrected", a.ID), http.StatusSeeOther)
	return nil
}

// preview renders Markdown for the editor's live preview, and says how
// many words it shows and how long they take to read (the editor's count).
func (s *Server) preview(w http.ResponseWriter, r *http.Request) error {
	h, text, err := s.markup.PreviewText(r.PostForm.Get("body"))
	if err != nil {
		return err
	}
	words := news.CountWords(text)
	w.Header().Set("X-Word-Count", strconv.Itoa(words))
	w.Header().Set("X-Reading-Minutes", strconv.Itoa(news.ReadingMinutes(words)))
	return writeHTML(w, h)
}

// autosave keeps the editor's current state for this member of staff.
func (s *Server) autosave(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("article"), 10, 64)
	if err != nil || id < newsroom.NewPageDraft {
		return edge.BadRequest("Unknown article.")
	}
	others, err := s.desk.Autosave(r.Context(), actor(r), id, parseForm(r))
	if err != nil {
		return err
	}
	if len(others) == 0 {
		w.WriteHeader(http.StatusNoContent) // no notice: the editor empties its own
		return nil
	}
	// The editor's notice of colleagues changing the article, as it now stands.
	h, err := s.render.RenderPart("admin/edit", "others-editing", s.editingRows(others))
	if err != nil {
		return err
	}
	return writeHTML(w, string(h))
}

// editingRow is a colleague changing the same article, for the editor's
// notice: their name, and how long ago their changes were kept.
type editingRow struct{ Name, Ago string }

func (s *Server) editingRows(list []news.UnsavedEdit) []editingRow {
	rows := make([]editingRow, len(list))
	now := s.desk.Now()
	for i, e := range list {
		rows[i].Name = e.Name
		switch m := int(now.Sub(e.SavedAt).Minutes()); {
		case m < 1:
			rows[i].Ago = "just now"
		case m == 1:
			rows[i].Ago = "a minute ago"
		default:
			rows[i].Ago = strconv.Itoa(m) + " minutes ago"
		}
	}
	return rows
}

// pageNumber reads a list's ?page= (1 when absent); anything but a
// positive number is a 400.
func pageNumber(q url.Values) (int, error) {
	v := q.Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, edge.BadRequest("Unknown page number.")
	}
	return n, nil
}
