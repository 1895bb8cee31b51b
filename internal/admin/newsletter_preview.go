package admin

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"

	nethtml "golang.org/x/net/html"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// Newsletter previews and test sends: both post the briefing form and
// show the newsletter's screen again with what was typed, so nothing
// unsaved is lost.

// newsletterPreview shows the briefing as it will be mailed, below the
// form.
func (s *Server) newsletterPreview(w http.ResponseWriter, r *http.Request) error {
	id, in, ok, err := s.briefingForm(w, r)
	if !ok {
		return err
	}
	p, err := s.desk.PreviewBriefing(r.Context(), actor(r), id, in)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderNewsletter(w, r, http.StatusUnprocessableEntity, newsletterPage{Briefing: in, Errors: fe})
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Security-Policy", previewPolicy(p.HTML))
	return s.renderNewsletter(w, r, http.StatusOK, newsletterPage{Briefing: in, Preview: p})
}

// newsletterTest mails the briefing as composed to the signed-in member
// of staff, and says so.
func (s *Server) newsletterTest(w http.ResponseWriter, r *http.Request) error {
	id, in, ok, err := s.briefingForm(w, r)
	if !ok {
		return err
	}
	sent, err := s.desk.SendBriefingTest(r.Context(), actor(r), id, in)
	var fe news.FieldErrors
	var te *newsroom.ThrottledError
	switch {
	case errors.As(err, &fe):
		status := http.StatusUnprocessableEntity
		if fe["test"] != "" {
			status = http.StatusBadGateway
		}
		return s.renderNewsletter(w, r, status, newsletterPage{Briefing: in, Errors: fe})
	case errors.As(err, &te):
		throttled(w, te)
		return s.renderNewsletter(w, r, http.StatusTooManyRequests, newsletterPage{Briefing: in, Errors: news.FieldErrors{"test": te.Message}})
	case err != nil:
		return err
	}
	flash := "A test went to " + sent.To + " (only to you; nothing was queued)."
	if sent.Logged {
		flash = "No mail server is configured: the test for " + sent.To + " was written to the server's log."
	}
	return s.renderNewsletter(w, r, http.StatusOK, newsletterPage{Briefing: in, Flash: flash})
}

// previewPolicy is the newsroom's Content-Security-Policy for a page
// showing the HTML part in a sandboxed srcdoc frame. The frame inherits
// the page's policy, which allows no inline style, and mail keeps its
// styles inline: this allows exactly the style attributes the part has
// (by hash) and nothing else. Images from other sites stay blocked.
func previewPolicy(part string) string {
	var hashes []string
	z := nethtml.NewTokenizer(strings.NewReader(part))
	for tt := z.Next(); tt != nethtml.ErrorToken; tt = z.Next() {
		if tt != nethtml.StartTagToken && tt != nethtml.SelfClosingTagToken {
			continue
		}
		for _, a := range z.Token().Attr {
			if a.Key == "style" {
				sum := sha256.Sum256([]byte(a.Val))
				hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
			}
		}
	}
	if len(hashes) == 0 {
		return edge.NewsroomContentSecurityPolicy
	}
	slices.Sort(hashes)
	styles := "style-src 'self' 'unsafe-hashes' " + strings.Join(slices.Compact(hashes), " ") + ";"
	return strings.Replace(edge.NewsroomContentSecurityPolicy, "style-src 'self';", styles, 1)
}
