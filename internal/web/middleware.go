package web

import (
	"net"
	"net/http"
	"strings"
)

// ContentSecurityPolicy allows no inline script or style at all; the theme
// needs neither.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
	"font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders are the headers every Masthead response carries, keyed
// canonically and shared read-only between responses (every request sets
// them, so they are built once).
var securityHeaders = []struct {
	key   string
	value []string
}{
	{"Content-Security-Policy", []string{ContentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=(), payment=(), usb=()"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
}

var hsts = []string{"max-age=63072000; includeSubDomains"}

// SecurityHeaders sets the headers every Masthead response carries.
func SecurityHeaders(w http.ResponseWriter, r *http.Request, trustProxy bool) {
	h := w.Header()
	for _, sh := range securityHeaders {
		h[sh.key] = sh.value[:1:1] // full capacity: an Add elsewhere copies rather than writes into the shared array
	}
	if IsHTTPS(r, trustProxy) {
		h["Strict-Transport-Security"] = hsts[:1:1]
	}
}

// IsHTTPS reports whether the reader reached us over HTTPS.
func IsHTTPS(r *http.Request, trustProxy bool) bool {
	return r.TLS != nil || (trustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

// ClientIP is the reader's address: the peer, or with a trusted proxy the
// address that proxy appended last to X-Forwarded-For.
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// middleware adds the security headers and cross-origin protection for
// every state-changing request (the CSRF defence for reader forms, which
// must work on cached pages without per-reader tokens). Request ids, logs,
// metrics and panic recovery wrap the whole server (package observe).
func (s *Server) middleware(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &httpError{status: http.StatusForbidden, message: "This form was sent from another site, so we did not accept it. Please post it from our page."})
	}))
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SecurityHeaders(w, r, s.cfg.TrustProxy)
		protected.ServeHTTP(w, r)
	})
}

// InternalError answers with the site's 500 page (used after a panic).
func (s *Server) InternalError(w http.ResponseWriter, r *http.Request) {
	s.write(w, r, s.errorPage(r, http.StatusInternalServerError, "Something went wrong", "We could not show this page. Please try again in a moment."))
}
