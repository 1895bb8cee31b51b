// Package edge holds what every HTTP surface (the reader site, the
// newsroom, the REST API) does the same way at the boundary with the
// network: the client's address and scheme behind a proxy, the security
// headers, request ids, and the error that carries a status and a message
// safe to show. Surfaces import edge and never each other.
package edge

import (
	"net"
	"net/http"
	"strings"
)

// ContentSecurityPolicy allows no inline script or style at all; the theme
// needs neither. Articles may show images from other sites.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; " + cspRest

// NewsroomContentSecurityPolicy is ContentSecurityPolicy with images from
// the site only: a draft under review must not make the editor's browser
// fetch from a server its writer chose, which would learn the editor's
// address. Library media is served from the site itself (/media/…)
// wherever it is stored, so it needs no other host.
const NewsroomContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " + cspRest

const cspRest = "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// ContentSecurityPolicyWithFrames is ContentSecurityPolicy for a page
// whose embeds may load frames from origins ("https://host", as
// markup.FrameOrigins lists them): frames from those and nowhere else. A
// page without embeds keeps ContentSecurityPolicy as it is.
func ContentSecurityPolicyWithFrames(origins []string) string {
	if len(origins) == 0 {
		return ContentSecurityPolicy
	}
	return ContentSecurityPolicy + "; frame-src " + strings.Join(origins, " ")
}

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
