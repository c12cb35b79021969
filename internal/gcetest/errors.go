package gcetest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is Google's error answer.
type apiError struct {
	code    int
	reason  string
	message string
}

func (e *apiError) Error() string { return e.message }

func errorf(code int, reason, format string, args ...any) *apiError {
	return &apiError{code: code, reason: reason, message: fmt.Sprintf(format, args...)}
}

// notFound is Compute Engine's answer for a resource that does not exist.
func notFound(resource string) *apiError {
	return errorf(http.StatusNotFound, "notFound", "The resource '%s' was not found", resource)
}

// statusOf is Google's status name of an HTTP code.
func statusOf(code int) string {
	switch code {
	case 400:
		return "INVALID_ARGUMENT"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 409:
		return "ALREADY_EXISTS"
	case 412:
		return "FAILED_PRECONDITION"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 503:
		return "UNAVAILABLE"
	}
	return "UNKNOWN"
}

// writeError writes e as Google's error JSON.
func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"error": map[string]any{
		"code": e.code, "message": e.message, "status": statusOf(e.code),
		"errors": []map[string]string{{"domain": "global", "reason": e.reason, "message": e.message}},
	}}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(e.code)
	_ = json.NewEncoder(w).Encode(body)
}

// writeJSON writes v with 200.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}
