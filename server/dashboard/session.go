package dashboard

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/novacron/novacron/server/auth"
)

type loginView struct {
	Next  string
	User  string
	Error string
}

// loginPage shows the login form; a browser already logged in goes on.
func (d *Dashboard) loginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if d.principal(r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	d.render(w, http.StatusOK, "login", nil, "Log in", loginView{Next: next})
}

// login checks the form's password with the same Authenticator as
// POST /api/v1/auth/login (rate limited there) and sets the session
// cookie to the token it signs.
func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		d.forbid(w, nil)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	user, password := r.PostFormValue("username"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	if d.o.Auth == nil || user == "" || password == "" {
		d.render(w, http.StatusUnauthorized, "login", nil, "Log in", loginView{Next: next, User: user, Error: "Enter your user name and password."})
		return
	}
	token, _, err := d.o.Auth.Login(r.Context(), user, password, clientAddr(r))
	var limited interface{ RetryAfterSeconds() int }
	if errors.As(err, &limited) {
		w.Header().Set("Retry-After", strconv.Itoa(limited.RetryAfterSeconds()))
		d.render(w, http.StatusTooManyRequests, "login", nil, "Log in", loginView{Next: next, User: user, Error: "Too many failed logins: try again later."})
		return
	}
	if err != nil {
		// Which of user, password or rate limit failed stays unsaid.
		d.o.Log.Info("dashboard login refused", "user", user, "client", clientAddr(r))
		d.render(w, http.StatusUnauthorized, "login", nil, "Log in", loginView{Next: next, User: user, Error: "Login failed."})
		return
	}
	http.SetCookie(w, d.cookie(r, token, 0))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// loggerOut is an authenticator that can end a login token before it
// expires (auth.Service).
type loggerOut interface{ Logout(token string) error }

// logout ends the session cookie's token, where the authenticator can,
// and clears the cookie.
func (d *Dashboard) logout(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		d.forbid(w, nil)
		return
	}
	if ck, err := r.Cookie(auth.CookieName); err == nil && ck.Value != "" {
		if lo, ok := d.o.Auth.(loggerOut); ok {
			_ = lo.Logout(ck.Value) // a token already ended or expired: nothing to end
		}
	}
	http.SetCookie(w, d.cookie(r, "", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// cookie is the session cookie holding token — the same signed token as
// a bearer token, HttpOnly and SameSite=Strict; maxAge -1 deletes it, 0
// makes it last as long as the browser session (the token expires first).
func (d *Dashboard) cookie(r *http.Request, token string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: auth.CookieName, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || d.o.SecureCookie,
	}
}

// safeNext is where to go after logging in: a path of this site, never
// another site ("//host", "/\host" or a scheme).
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

// clientAddr is the client's address for the login rate limit.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
