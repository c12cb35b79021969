package api

import (
	"errors"
	"net/http"
	"strconv"
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
	expires := a.expires(p)
	http.SetCookie(w, a.cookie(token, expires))
	writeJSON(w, http.StatusOK, loginResponse{Token: token, Expires: expires})
}

// expires is when a login's token stops working.
func (a *API) expires(_ any) time.Time {
	return now().Add(a.c.SessionTTL).UTC().Truncate(time.Second)
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

// POST /api/v1/auth/logout: remove the session cookie.
func (a *API) logout(w http.ResponseWriter, r *http.Request, c *call) {
	if !decode(w, r, &struct{}{}, maxBody, true) {
		return
	}
	http.SetCookie(w, a.cookie("", time.Time{}))
	w.WriteHeader(http.StatusNoContent)
}
