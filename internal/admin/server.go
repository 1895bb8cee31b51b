// Package admin is the newsroom at /admin: sign-in, the dashboard, the
// article editor and its workflow (draft → review → scheduled → published),
// revisions with diffs, corrections, comment moderation and staff roles.
//
// Every page is server-rendered and usable without JavaScript; admin.js
// adds a live preview and autosave, and editor.js the visual editor over
// the body's Markdown (editor.go). Every state-changing request needs a
// signed-in session and a CSRF token tied to it, and every action is checked
// against the member of staff's role on the server (package news holds the
// rules; package editorial applies them).
package admin

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"masthead/internal/edge"
	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/observe"
	"masthead/internal/render"
)

// Config is the newsroom's share of Masthead's configuration.
type Config struct {
	Secret     []byte // signs CSRF tokens
	TrustProxy bool
	// MaxUploadBytes is the largest image upload; 0 means
	// media.MaxUploadBytes. (The library itself is the newsroom service's.)
	MaxUploadBytes int
}

// Server serves the newsroom. It reaches the site only through the
// newsroom service, which makes every decision.
type Server struct {
	desk   *newsroom.Service
	render *render.Engine
	markup *markup.Renderer
	log    *slog.Logger
	cfg    Config
}

// New builds the newsroom.
func New(desk *newsroom.Service, eng *render.Engine, log *slog.Logger, cfg Config) *Server {
	return &Server{desk: desk, render: eng, markup: markup.New(), log: log, cfg: cfg}
}

// Handler returns the newsroom's routes, all under /admin/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/login", s.loginForm)
	mux.HandleFunc("POST /admin/login", s.login)
	mux.Handle("POST /admin/logout", s.staff(s.logout))
	mux.Handle("POST /admin/logout-everywhere", s.staff(s.logoutEverywhere))
	mux.HandleFunc("GET /admin/setup", s.setupForm)
	mux.HandleFunc("POST /admin/setup", s.setup)
	mux.HandleFunc("GET /admin/forgot", s.forgotForm)
	mux.HandleFunc("POST /admin/forgot", s.forgot)
	mux.HandleFunc("GET /admin/reset/{token}", s.linkForm(resetLink))
	mux.HandleFunc("POST /admin/reset/{token}", s.linkSubmit(resetLink))
	mux.HandleFunc("GET /admin/invite/{token}", s.linkForm(inviteLink))
	mux.HandleFunc("POST /admin/invite/{token}", s.linkSubmit(inviteLink))

	mux.Handle("GET /admin/{$}", s.staff(s.dashboard))
	mux.Handle("GET /admin/articles", s.staff(s.articleList))
	mux.Handle("GET /admin/articles/new", s.staff(s.articleNew))
	mux.Handle("POST /admin/articles", s.staff(s.articleCreate))
	mux.Handle("GET /admin/articles/{id}", s.staff(s.articleEdit))
	mux.Handle("POST /admin/articles/{id}", s.staff(s.articleSave))
	mux.Handle("POST /admin/articles/{id}/workflow", s.staff(s.articleWorkflow))
	mux.Handle("POST /admin/articles/{id}/corrections", s.staff(s.articleCorrect))
	mux.Handle("POST /admin/articles/{id}/trash", s.staff(s.articleTrash))
	mux.Handle("GET /admin/articles/{id}/live", s.staff(s.liveDesk))
	mux.Handle("POST /admin/articles/{id}/live", s.staff(s.livePost))
	mux.Handle("POST /admin/articles/{id}/live/state", s.staff(s.liveState))
	mux.Handle("POST /admin/live/{entry}", s.staff(s.liveEdit))
	mux.Handle("GET /admin/live/{entry}/history", s.staff(s.liveHistory))
	mux.Handle("GET /admin/breaking", s.staff(s.breaking))
	mux.Handle("POST /admin/breaking", s.staff(s.breakingSave))
	mux.Handle("GET /admin/trash", s.staff(s.trashList))
	mux.Handle("POST /admin/trash/{id}/restore", s.staff(s.trashRestore))
	mux.Handle("GET /admin/trash/{id}/delete", s.staff(s.trashDelete))
	mux.Handle("POST /admin/trash/{id}/delete", s.staff(s.trashDelete))
	mux.Handle("GET /admin/articles/{id}/revisions", s.staff(s.revisionList))
	mux.Handle("GET /admin/articles/{id}/revisions/{rev}", s.staff(s.revisionShow))
	mux.Handle("POST /admin/articles/{id}/revisions/{rev}/restore", s.staff(s.revisionRestore))
	mux.Handle("GET /admin/articles/{id}/diff", s.staff(s.revisionDiff))
	mux.Handle("POST /admin/preview", s.staff(s.preview))
	mux.Handle("GET /admin/articles/{id}/preview", s.staff(s.readerPreview))
	mux.Handle("POST /admin/articles/{id}/preview", s.staff(s.readerPreview))
	mux.Handle("POST /admin/articles/new/preview", s.staff(s.readerPreview))
	mux.Handle("POST /admin/pages/new/preview", s.staff(s.readerPreview))
	mux.Handle("POST /admin/autosave", s.staff(s.autosave))
	mux.Handle("POST /admin/editor/blocks", s.staff(s.editorBlocks))
	mux.Handle("POST /admin/editor/paste", s.staff(s.editorPaste))
	mux.Handle("POST /admin/articles/{id}/quotes", s.staff(s.quoteDecide))
	mux.Handle("GET /admin/people", s.staff(s.peopleList))
	mux.Handle("GET /admin/people/{id}", s.staff(s.personEdit))
	mux.Handle("POST /admin/people/{id}", s.staff(s.personSave))
	mux.Handle("POST /admin/people/{id}/merge", s.staff(s.personMerge))

	mux.Handle("GET /admin/comments", s.staff(s.commentQueue))
	mux.Handle("POST /admin/comments", s.staff(s.commentModerate))
	mux.Handle("GET /admin/comments/{id}", s.staff(s.commentShow))
	mux.Handle("POST /admin/comments/{id}/reply", s.staff(s.commentReply))
	mux.Handle("POST /admin/comments/{id}/edit", s.staff(s.commentEdit))
	mux.Handle("GET /admin/articles/{id}/comments", s.staff(s.articleComments))
	mux.Handle("POST /admin/articles/{id}/comments", s.staff(s.articleCommentCreate))
	mux.Handle("GET /admin/blocklist", s.staff(s.blocklist))
	mux.Handle("POST /admin/blocklist", s.staff(s.blockAdd))
	mux.Handle("POST /admin/blocklist/{id}/delete", s.staff(s.blockRemove))
	mux.Handle("GET /admin/federation", s.staff(s.federation))
	mux.Handle("POST /admin/federation/switch", s.staff(s.federationSwitch))
	mux.Handle("POST /admin/federation/accounts/{id}/approval", s.staff(s.federationApproval))
	mux.Handle("POST /admin/federation/accounts/{id}/requests", s.staff(s.federationRequest))
	mux.Handle("POST /admin/federation/blocks", s.staff(s.federationBlock))
	mux.Handle("POST /admin/federation/blocks/delete", s.staff(s.federationUnblock))
	mux.Handle("GET /admin/staff", s.staff(s.staffList))
	mux.Handle("POST /admin/staff/{id}/role", s.staff(s.staffRole))
	mux.Handle("POST /admin/staff/{id}/deactivate", s.staff(s.staffDeactivate))
	mux.Handle("POST /admin/staff/{id}/reactivate", s.staff(s.staffReactivate))
	mux.Handle("GET /admin/staff/{id}/deactivate", s.staff(s.staffDeactivateForm))
	mux.Handle("GET /admin/staff/{id}/transfer", s.staff(s.staffTransferForm))
	mux.Handle("POST /admin/staff/{id}/transfer", s.staff(s.staffTransfer))
	mux.Handle("POST /admin/staff/invite", s.staff(s.staffInvite))

	mux.Handle("GET /admin/media", s.staff(s.mediaLibrary))
	mux.HandleFunc("POST /admin/media", s.mediaUpload) // multipart: checks its own session and CSRF token
	mux.Handle("POST /admin/media/pick", s.staff(s.mediaPick))
	mux.Handle("GET /admin/media/{id}", s.staff(s.mediaShow))
	mux.Handle("POST /admin/media/{id}", s.staff(s.mediaSave))
	mux.Handle("POST /admin/media/{id}/use", s.staff(s.mediaUse))
	mux.Handle("GET /admin/media/{id}/delete", s.staff(s.mediaDelete))
	mux.Handle("POST /admin/media/{id}/delete", s.staff(s.mediaDelete))
	mux.Handle("GET /admin/sections", s.staff(s.sections))
	mux.Handle("POST /admin/sections", s.staff(s.sectionCreate))
	mux.Handle("POST /admin/sections/{id}", s.staff(s.sectionUpdate))
	mux.Handle("POST /admin/sections/{id}/move", s.staff(s.sectionMove))
	mux.Handle("POST /admin/sections/{id}/delete", s.staff(s.sectionDelete))
	mux.Handle("POST /admin/sections/{id}/merge", s.staff(s.sectionMerge))
	mux.Handle("GET /admin/tags", s.staff(s.tagList))
	mux.Handle("POST /admin/tags", s.staff(s.tagCreate))
	mux.Handle("GET /admin/tags/{id}", s.staff(s.tagEdit))
	mux.Handle("POST /admin/tags/{id}", s.staff(s.tagUpdate))
	mux.Handle("POST /admin/tags/{id}/merge", s.staff(s.tagMerge))
	mux.Handle("POST /admin/tags/{id}/delete", s.staff(s.tagDelete))
	mux.Handle("GET /admin/pages", s.staff(s.pageList))
	mux.Handle("GET /admin/pages/new", s.staff(s.pageNew))
	mux.Handle("POST /admin/pages", s.staff(s.pageCreate))
	mux.Handle("GET /admin/menus", s.staff(s.menus))
	mux.Handle("POST /admin/menus/{menu}/add", s.staff(s.menuAdd))
	mux.Handle("POST /admin/menus/{menu}/{index}/move", s.staff(s.menuMove))
	mux.Handle("POST /admin/menus/{menu}/{index}/remove", s.staff(s.menuRemove))
	mux.Handle("POST /admin/menus/{menu}/reset", s.staff(s.menuReset))
	mux.Handle("GET /admin/newsletters", s.staff(s.newsletters))
	mux.Handle("POST /admin/newsletters", s.staff(s.newsletterCreate))
	mux.Handle("GET /admin/newsletters/{id}", s.staff(s.newsletterShow))
	mux.Handle("POST /admin/newsletters/{id}", s.staff(s.newsletterUpdate))
	mux.Handle("POST /admin/newsletters/{id}/send", s.staff(s.newsletterSend))
	mux.Handle("POST /admin/newsletters/{id}/prepare", s.staff(s.newsletterPrepare))
	mux.Handle("POST /admin/newsletters/{id}/preview", s.staff(s.newsletterPreview))
	mux.Handle("POST /admin/newsletters/{id}/test", s.staff(s.newsletterTest))
	mux.Handle("POST /admin/newsletters/{id}/discard", s.staff(s.newsletterDiscard))
	mux.Handle("POST /admin/newsletters/{id}/digest", s.staff(s.newsletterDigest))
	mux.Handle("POST /admin/newsletters/{id}/import", s.staff(s.subscribersImport))
	mux.Handle("GET /admin/newsletters/{id}/subscribers.csv", s.staff(s.subscribersExport))
	mux.Handle("GET /admin/settings", s.staff(s.settings))
	mux.Handle("POST /admin/settings", s.staff(s.settingsSave))
	mux.Handle("GET /admin/profile", s.staff(s.profile))
	mux.Handle("POST /admin/profile", s.staff(s.profileSave))
	mux.Handle("POST /admin/profile/mail", s.staff(s.profileMail))
	mux.Handle("POST /admin/profile/password", s.staff(s.passwordChange))
	mux.Handle("POST /admin/profile/app-passwords", s.staff(s.appPasswordCreate))
	mux.Handle("POST /admin/profile/app-passwords/{id}/revoke", s.staff(s.appPasswordRevoke))
	mux.Handle("/admin/", s.staff(func(w http.ResponseWriter, r *http.Request) error { return news.ErrNotFound }))
	return s.headers(mux)
}

// headers adds the security headers, with the newsroom's stricter image
// policy, and keeps newsroom pages out of caches.
func (s *Server) headers(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		edge.SecurityHeaders(w, r, s.cfg.TrustProxy)
		w.Header().Set("Content-Security-Policy", edge.NewsroomContentSecurityPolicy)
		w.Header().Set("Cache-Control", "private, no-store")
		protected.ServeHTTP(w, r)
	})
}

// page renders a newsroom template.
func (s *Server) page(w http.ResponseWriter, status int, name string, data any) error {
	body, err := s.render.Render("admin/"+name, data)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err = w.Write(body)
	return err
}

type errorPage struct {
	Layout           render.AdminLayout
	Heading, Message string
}

// fail turns an error into a newsroom error page, logging server faults once.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, heading, msg := http.StatusInternalServerError, "Something went wrong", "The newsroom could not do that. Please try again; if it keeps happening, tell your administrator."
	var he *edge.Error
	switch {
	case errors.Is(err, news.ErrNotFound):
		status, heading, msg = http.StatusNotFound, "Not found", "That page or article does not exist (or no longer does)."
	case errors.Is(err, news.ErrForbidden):
		status, heading, msg = http.StatusForbidden, "Not allowed", "Your role does not allow that. Ask an editor."
	case errors.As(err, &he):
		status, heading, msg = he.Status, http.StatusText(he.Status), he.Message
	case errors.Is(r.Context().Err(), context.Canceled):
		return
	default:
		s.log.ErrorContext(r.Context(), "newsroom request failed", slog.String("path", observe.LogPath(r.URL.Path)), slog.Any("err", err), slog.String("request_id", edge.RequestID(r.Context())))
	}
	if wantsJSON(r) {
		_ = writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	lay := s.layout(r, heading, "")
	if err := s.page(w, status, "error", errorPage{Layout: lay, Heading: heading, Message: msg}); err != nil {
		http.Error(w, heading, status)
	}
}

// pathID reads a numeric path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.ErrNotFound
	}
	return id, nil
}
