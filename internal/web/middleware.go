package web

import (
	"masthead/internal/edge"
	"net/http"
)

// middleware adds the security headers and cross-origin protection for
// every state-changing request (the CSRF defence for reader forms, which
// must work on cached pages without per-reader tokens). Request ids, logs,
// metrics and panic recovery wrap the whole server (package observe).
func (s *Server) middleware(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &edge.Error{Status: http.StatusForbidden, Message: "This form was sent from another site, so we did not accept it. Please post it from our page."})
	}))
	// RFC 8058: mail providers post one-click unsubscribes from their own
	// servers; the token in the URL is the authority (newsletters.go).
	cop.AddInsecureBypassPattern("POST " + oneClickUnsubscribe)
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		edge.SecurityHeaders(w, r, s.cfg.TrustProxy)
		protected.ServeHTTP(w, r)
	})
}

// oneClickUnsubscribe is the route of RFC 8058 one-click unsubscribes.
const oneClickUnsubscribe = "/newsletters/unsubscribe/{token}"

// InternalError answers with the site's 500 page (used after a panic).
func (s *Server) InternalError(w http.ResponseWriter, r *http.Request) {
	s.write(w, r, s.errorPage(r, http.StatusInternalServerError, "Something went wrong", "We could not show this page. Please try again in a moment."))
}
