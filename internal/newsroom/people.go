package newsroom

import (
	"context"
	"fmt"
	"unicode/utf8"

	"masthead/internal/news"
	"masthead/internal/quotes"
	"masthead/internal/store"
)

// ExtractQuotes finds the quotations in an article's plain text, with
// character offsets. It never returns nil, so an article with no
// quotations stores none (see news.Article.Quotes).
func ExtractQuotes(text string) []news.Quote {
	qs := quotes.Extract(text)
	out := make([]news.Quote, 0, len(qs))
	// Offsets come in bytes, in increasing order; count characters as we go.
	bytePos, charPos := 0, 0
	chars := func(b int) int {
		if b < bytePos {
			bytePos, charPos = 0, 0
		}
		charPos += utf8.RuneCountInString(text[bytePos:b])
		bytePos = b
		return charPos
	}
	for i, q := range qs {
		nq := news.Quote{Position: i, Start: chars(q.Start), End: chars(q.End), Text: q.Text, Group: q.Group, Cue: q.Cue,
			Status: news.QuoteDetected}
		if q.Speaker != "" {
			switch q.Kind {
			case quotes.KindPerson:
				nq.Speaker, nq.SpeakerKind = q.Speaker, news.KindPerson
			case quotes.KindOrganisation:
				nq.Speaker, nq.SpeakerKind = q.Speaker, news.KindOrganisation
			}
		}
		out = append(out, nq)
	}
	return out
}

// Reextracted is what re-extracting one article changed.
type Reextracted struct {
	Found          int // quotations found now
	SpeakerChanged int // quotations found before and now whose speaker (after decisions) is another, or none, or newly one
	Added, Removed int // quotations found now and not before, and the other way round
}

// Reextract finds the quotations of article id again, from its current
// body, and stores them with the newsroom's decisions applied: for an
// archive after the extractor improved. A quotation an editor dismissed
// or gave a speaker keeps that decision, so its speaker never changes here.
func (s *Service) Reextract(ctx context.Context, id int64) (Reextracted, error) {
	return s.reextract(ctx, s.store, id)
}

// ReextractMany re-extracts the articles ids in one transaction, as
// Reextract does each: a reindex of a whole archive commits (and waits for
// the disk) once per batch rather than once per article. An article that
// fails is left as it was and reported in failed; the others are kept.
func (s *Service) ReextractMany(ctx context.Context, ids []int64) (total Reextracted, failed map[int64]error, err error) {
	err = s.store.Atomically(ctx, func(tx *store.Store) error {
		total, failed = Reextracted{}, nil
		for _, id := range ids {
			r, err := s.reextract(ctx, tx, id)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if failed == nil {
					failed = map[int64]error{}
				}
				failed[id] = err
				continue
			}
			total.Found += r.Found
			total.SpeakerChanged += r.SpeakerChanged
			total.Added += r.Added
			total.Removed += r.Removed
		}
		return nil
	})
	return total, failed, err
}

func (s *Service) reextract(ctx context.Context, st *store.Store, id int64) (Reextracted, error) {
	a, err := st.Article(ctx, id)
	if err != nil {
		return Reextracted{}, err
	}
	_, text, err := s.markup.Article(a.Body)
	if err != nil {
		return Reextracted{}, fmt.Errorf("render article %d: %w", id, err)
	}
	before, err := st.ArticleQuotes(ctx, id)
	if err != nil {
		return Reextracted{}, err
	}
	qs := ExtractQuotes(text)
	if err := st.ReplaceQuotes(ctx, id, qs); err != nil {
		return Reextracted{}, err
	}
	after, err := st.ArticleQuotes(ctx, id)
	if err != nil {
		return Reextracted{}, err
	}
	r := compareSpeakers(before, after)
	r.Found = len(qs)
	return r, nil
}

// compareSpeakers pairs the quotations of before and after by their words
// (in order, for words quoted twice) and counts what changed.
func compareSpeakers(before, after []news.Quote) Reextracted {
	speaker := func(q *news.Quote) int64 {
		if q.Person == nil || !q.Public() {
			return 0
		}
		return q.Person.ID
	}
	old := map[string][]int64{}
	for i := range before {
		k := news.QuoteKey(before[i].Text)
		old[k] = append(old[k], speaker(&before[i]))
	}
	var r Reextracted
	for i := range after {
		k := news.QuoteKey(after[i].Text)
		prev, ok := old[k]
		if !ok || len(prev) == 0 {
			r.Added++
			continue
		}
		if prev[0] != speaker(&after[i]) {
			r.SpeakerChanged++
		}
		old[k] = prev[1:]
	}
	for _, rest := range old {
		r.Removed += len(rest)
	}
	return r
}

// quoteInArticle loads an article actor may edit and checks that a
// quotation with these words is in it.
func (s *Service) quoteInArticle(ctx context.Context, actor news.Actor, articleID int64, text string) error {
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return err
	}
	if !mayEdit(actor, a) {
		return news.ErrForbidden
	}
	qs, err := s.store.ArticleQuotes(ctx, articleID)
	if err != nil {
		return err
	}
	key := news.QuoteKey(text)
	for _, q := range qs {
		if key != "" && news.QuoteKey(q.Text) == key {
			return nil
		}
	}
	return news.FieldErrors{"quote": "That quotation is no longer in the article: it was edited in the meantime. Check the list again."}
}

// ConfirmQuote records that the quotation with these words in an article
// is one, said by person personID (0: by no named speaker). The decision
// follows the words through later edits.
func (s *Service) ConfirmQuote(ctx context.Context, actor news.Actor, articleID int64, text string, personID int64) error {
	if err := s.quoteInArticle(ctx, actor, articleID, text); err != nil {
		return err
	}
	if personID != 0 {
		if _, err := s.store.Person(ctx, personID); err != nil {
			return err
		}
	}
	return s.store.DecideQuote(ctx, articleID, text, &news.QuoteDecision{Verdict: news.VerdictConfirmed, PersonID: personID}, actor.ID)
}

// ChangeSpeaker confirms the quotation with these words as said by the
// person or organisation known by name (created if nobody is), or by no
// named speaker when name is blank.
func (s *Service) ChangeSpeaker(ctx context.Context, actor news.Actor, articleID int64, text, name string, kind news.PersonKind) error {
	if err := s.quoteInArticle(ctx, actor, articleID, text); err != nil {
		return err
	}
	var personID int64
	if news.NameKey(name) != "" {
		if !news.ValidPersonKind(kind) {
			kind = news.KindPerson
		}
		if len([]rune(name)) > 200 {
			return news.FieldErrors{"speaker": "Keep the name under 200 characters."}
		}
		p, err := s.store.EnsurePerson(ctx, name, kind)
		if err != nil {
			return err
		}
		personID = p.ID
	}
	return s.store.DecideQuote(ctx, articleID, text, &news.QuoteDecision{Verdict: news.VerdictConfirmed, PersonID: personID}, actor.ID)
}

// DismissQuote records that the words are not a quotation (a scare quote,
// a title): readers no longer see them as one, and re-extraction keeps it so.
func (s *Service) DismissQuote(ctx context.Context, actor news.Actor, articleID int64, text string) error {
	if err := s.quoteInArticle(ctx, actor, articleID, text); err != nil {
		return err
	}
	return s.store.DecideQuote(ctx, articleID, text, &news.QuoteDecision{Verdict: news.VerdictDismissed}, actor.ID)
}

// ReopenQuote forgets the decision about a quotation: the extractor's
// reading applies again.
func (s *Service) ReopenQuote(ctx context.Context, actor news.Actor, articleID int64, text string) error {
	if err := s.quoteInArticle(ctx, actor, articleID, text); err != nil {
		return err
	}
	return s.store.DecideQuote(ctx, articleID, text, nil, actor.ID)
}

// UpdatePerson saves an editor's changes to a person. People are shared by
// every article quoting them, so only editors may change them.
func (s *Service) UpdatePerson(ctx context.Context, actor news.Actor, p *news.Person) error {
	if !actor.Role.Can(news.PermEditAny) {
		return news.ErrForbidden
	}
	return s.store.UpdatePerson(ctx, p)
}

// MergePeople merges person from into person into (editors only): the
// quotations, names and decisions move, and from's page redirects.
func (s *Service) MergePeople(ctx context.Context, actor news.Actor, from, into int64) error {
	if !actor.Role.Can(news.PermEditAny) {
		return news.ErrForbidden
	}
	return s.store.MergePeople(ctx, from, into)
}

// People lists the people f selects for the newsroom. Editors see everyone
// the extractor found; writers only people quoted in published articles or
// in their own, so that nobody learns from the People pages (or the
// editor's list of speakers) who is quoted in a colleague's embargoed
// story.
func (s *Service) People(ctx context.Context, actor news.Actor, f news.PeopleFilter) ([]news.Person, error) {
	if !actor.Role.Can(news.PermEditAny) {
		f.VisibleTo = actor.ID
	}
	return s.store.People(ctx, f)
}

// Person returns person id and up to limit of their quotations, newest
// first, as actor may see them: for writers only quotations in published
// articles or their own, and ErrNotFound for someone quoted nowhere else.
func (s *Service) Person(ctx context.Context, actor news.Actor, id int64, limit int) (*news.Person, []news.Quote, error) {
	p, err := s.store.Person(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if p.MergedInto != 0 {
		return nil, nil, news.ErrNotFound
	}
	var viewer int64
	if !actor.Role.Can(news.PermEditAny) {
		viewer = actor.ID
	}
	qs, err := s.store.QuotesOfPerson(ctx, id, limit, viewer)
	if err != nil {
		return nil, nil, err
	}
	if viewer != 0 && len(qs) == 0 {
		return nil, nil, news.ErrNotFound
	}
	return p, qs, nil
}

// PersonByName finds the person known by name or alias, for an editor
// merging people (writers do not merge, and so do not look people up).
func (s *Service) PersonByName(ctx context.Context, actor news.Actor, name string) (*news.Person, error) {
	if !actor.Role.Can(news.PermEditAny) {
		return nil, news.ErrForbidden
	}
	return s.store.PersonByName(ctx, name)
}
