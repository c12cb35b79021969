package api

import (
	"net/http"

	"github.com/novacron/novacron/server/auth"
)

// CookieName is the dashboard's session cookie: the same signed token a
// login returns, HttpOnly and SameSite=Strict (Secure under TLS).
const CookieName = auth.CookieName

// CSRFHeader must be "1" on every change made with the session cookie
// (the dashboard's JavaScript sets it; a form another site posts cannot).
const CSRFHeader = "X-Nova-CSRF"

// Authenticate puts the request's principal in its context when its
// credentials (a bearer token, or the session cookie when there is no
// Authorization header) are good; it refuses nothing itself: each route
// decides whether it needs a principal.
func Authenticate(a auth.Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := principal(a, r); p != nil {
			r = r.WithContext(auth.WithPrincipal(r.Context(), p))
		}
		next.ServeHTTP(w, r)
	})
}

func principal(a auth.Authenticator, r *http.Request) *auth.Principal {
	if a == nil || r.Header.Get("Authorization") == "" && !hasCookie(r) {
		return nil
	}
	p, err := a.Authenticate(r)
	if err != nil {
		return nil
	}
	return p
}

func hasCookie(r *http.Request) bool {
	_, err := r.Cookie(CookieName)
	return err == nil
}
