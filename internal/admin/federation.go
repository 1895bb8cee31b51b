package admin

import (
	"errors"
	"net/http"
	"strconv"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// The Fediverse screen: each account's followers and waiting follow
// requests, manual approval, the blocked servers and the switch.

type federationPage struct {
	Layout render.AdminLayout
	*newsroom.FedOverview
	Form   blockDomainForm
	Errors news.FieldErrors // the switch's
}

type blockDomainForm struct {
	Domain, Note string
	Errors       news.FieldErrors
}

var federationFlashes = map[string]string{
	"on": "Federation is on.", "off": "Federation is off: the fediverse gets no answers from this site and nothing new is sent.",
	"approval": "Saved.", "accepted": "Follow request accepted.", "rejected": "Follow request rejected.",
	"blocked": "Server blocked; its accounts no longer follow anyone here.", "unblocked": "Server unblocked.",
}

func (s *Server) federation(w http.ResponseWriter, r *http.Request) error {
	return s.renderFederation(w, r, http.StatusOK, blockDomainForm{}, nil)
}

func (s *Server) renderFederation(w http.ResponseWriter, r *http.Request, status int, form blockDomainForm, errs news.FieldErrors) error {
	ov, err := s.desk.FederationOverview(r.Context(), actor(r))
	if err != nil {
		return err
	}
	lay := s.layout(r, "Fediverse", "federation")
	lay.Flash = federationFlashes[r.URL.Query().Get("done")]
	return s.page(w, status, "federation", federationPage{Layout: lay, FedOverview: ov, Form: form, Errors: errs})
}

func (s *Server) federationSwitch(w http.ResponseWriter, r *http.Request) error {
	on := r.PostForm.Get("on") == "1"
	err := s.desk.SetFederating(r.Context(), actor(r), on)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderFederation(w, r, http.StatusUnprocessableEntity, blockDomainForm{}, fe)
	}
	if err != nil {
		return err
	}
	done := "off"
	if on {
		done = "on"
	}
	http.Redirect(w, r, "/admin/federation?done="+done, http.StatusSeeOther)
	return nil
}

// fedStaffID is the account a route names: 0 for the paper.
func fedStaffID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 0 {
		return 0, news.ErrNotFound
	}
	return id, nil
}

func (s *Server) federationApproval(w http.ResponseWriter, r *http.Request) error {
	id, err := fedStaffID(r)
	if err != nil {
		return err
	}
	if err := s.desk.SetFedManualApproval(r.Context(), actor(r), id, r.PostForm.Get("manual") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/federation?done=approval#account-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) federationRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := fedStaffID(r)
	if err != nil {
		return err
	}
	accept := r.PostForm.Get("decision") == "accept"
	err = s.desk.DecideFollowRequest(r.Context(), actor(r), id, r.PostForm.Get("follower"), accept)
	if err != nil && !errors.Is(err, news.ErrNotFound) { // already decided: nothing to do
		return err
	}
	done := "rejected"
	if accept {
		done = "accepted"
	}
	http.Redirect(w, r, "/admin/federation?done="+done+"#account-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) federationBlock(w http.ResponseWriter, r *http.Request) error {
	f := blockDomainForm{Domain: r.PostForm.Get("domain"), Note: r.PostForm.Get("note")}
	err := s.desk.BlockFedDomain(r.Context(), actor(r), f.Domain, f.Note)
	if errors.As(err, &f.Errors) {
		return s.renderFederation(w, r, http.StatusUnprocessableEntity, f, nil)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/federation?done=blocked#blocked", http.StatusSeeOther)
	return nil
}

func (s *Server) federationUnblock(w http.ResponseWriter, r *http.Request) error {
	if err := s.desk.UnblockFedDomain(r.Context(), actor(r), r.PostForm.Get("domain")); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/federation?done=unblocked#blocked", http.StatusSeeOther)
	return nil
}
