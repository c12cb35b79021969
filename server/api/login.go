package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// loginRequest is the body of a login.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// loginResponse is a login's answer: the token to send as
// Authorization: Bearer TOKEN, and when it stops working.
type loginResponse struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
}

// retryAfter is an authenticator's refusal of a login because too many
// failed (auth.LimitedError).
type retryAfter interface{ RetryAfterSeconds() int }

// POST /api/v1/auth/login {"username","password"}: a token, also set as
// the session cookie.
func (a *API) login(w http.ResponseWriter, r *http.Request, c *call) {
	var req loginRequest
	if !decode(w, r, &req, maxBody, false) {
		return
	}
	c.rec.Who = clip(req.Username)
	if req.Username == "" || req.Password == "" {
		badRequest(w, r, `fields "username" and "password" are required`, nil)
		return
	}
	token, p, err := a.c.Auth.Login(r.Context(), req.Username, req.Password, c.rec.Client)
	var limited retryAfter
	switch {
	case errors.As(err, &limited):
		w.Header().Set("Retry-After", strconv.Itoa(limited.RetryAfterSeconds()))
		writeError(w, r, http.StatusTooManyRequests, "too_many_requests", "too many failed logins: try again later", nil)
		return
	case err != nil || p == nil:
		writeError(w, r, http.StatusUnauthorized, "unauthorized", "wrong user name or password", nil)
		return
	}
	c.rec.Who = p.Name
	expires := p.Expires.UTC()
	http.SetCookie(w, a.cookie(token, expires))
	writeJSON(w, http.StatusOK, loginResponse{Token: token, Expires: expires})
}

// cookie is the session cookie holding token until expires (or, with an
// empty token, the one that removes it).
func (a *API) cookie(token string, expires time.Time) *http.Cookie {
	ck := &http.Cookie{Name: CookieName, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: a.c.SecureCookie, Expires: expires}
	if token == "" {
		ck.MaxAge, ck.Expires = -1, time.Time{}
	}
	return ck
}

// loggerOut is an authenticator that can end a login token early
// (auth.Service).
type loggerOut interface{ Logout(token string) error }

// POST /api/v1/auth/logout: end the login token the request carries (as
// a bearer token or the session cookie), and remove the cookie.
func (a *API) logout(w http.ResponseWriter, r *http.Request, c *call) {
	if !decode(w, r, &struct{}{}, maxBody, true) {
		return
	}
	if lo, ok := a.c.Auth.(loggerOut); ok && c.p != nil {
		if tok := requestToken(r); tok != "" {
			lo.Logout(tok) //nolint:errcheck // an API token, or one already ended: nothing to end
		}
	}
	http.SetCookie(w, a.cookie("", time.Time{}))
	w.WriteHeader(http.StatusNoContent)
}

// requestToken is the token a request carries: the Authorization
// header's bearer token, or the session cookie's.
func requestToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	if ck, err := r.Cookie(CookieName); err == nil {
		return ck.Value
	}
	return ""
}
