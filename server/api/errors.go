package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/novacron/novacron/server/estate"
)

// fail answers err as the API's error contract says: estate.ErrNotFound
// 404 (what names the thing not found), a *estate.ConflictError 409 with
// its message, an *estate.InvalidError 400 with its diagnostics, anything
// else 500 with a generic message, its detail in the server's log only.
func (a *API) fail(w http.ResponseWriter, r *http.Request, c *call, err error, what string) {
	var conflict *estate.ConflictError
	var invalid *estate.InvalidError
	switch {
	case errors.Is(err, estate.ErrNotFound):
		writeError(w, r, http.StatusNotFound, "not_found", what+" not found", nil)
	case errors.As(err, &conflict):
		writeError(w, r, http.StatusConflict, "conflict", conflict.Message, nil)
	case errors.As(err, &invalid):
		badRequest(w, r, invalid.Message, invalid.Diagnostics)
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The client went away: nobody reads the answer.
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "the request was cancelled", nil)
	default:
		a.c.Log.Error("request failed", "route", c.rec.Route, "who", c.rec.Who, "workspace", c.rec.Workspace, "error", err.Error())
		writeError(w, r, http.StatusInternalServerError, "internal", "internal server error: the server's log has the details", nil)
	}
}
