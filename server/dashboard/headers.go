package dashboard

import (
	"net/http"
	"net/url"
)

// contentSecurityPolicy lets a page load only the dashboard's own files:
// no inline script or style, no other origin, no framing. connect-src
// 'self' covers the API and the WebSocket at /ws/status.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers of every response of the dashboard.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin") // with no-referrer, a form post's Origin is "null"
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// sameOrigin reports whether a form post came from the dashboard's own
// pages: the SameSite cookie alone does not stop a login form posted from
// another site (login CSRF). A browser says where a request comes from in
// Sec-Fetch-Site, which no page can set; one too old to send it names
// the origin of a post in Origin.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
