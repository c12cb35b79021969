package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/novacron/novacron/server/estate"
)

// The largest request bodies: a plan may carry a spec's files.
const (
	maxBody     = 64 << 10
	maxPlanBody = 4 << 20
)

// errorBody is every error's JSON body.
type errorBody struct {
	Error apiError `json:"error"`
}

type apiError struct {
	Code        string              `json:"code"`
	Message     string              `json:"message"`
	Diagnostics []estate.Diagnostic `json:"diagnostics"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// Compact: indenting took a third of the CPU of listing VMs
	// (BenchmarkListVMs200Clients); pipe through jq to read.
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away
}

func writeError(w http.ResponseWriter, _ *http.Request, status int, code, msg string, diags []estate.Diagnostic) {
	if diags == nil {
		diags = []estate.Diagnostic{}
	}
	writeJSON(w, status, errorBody{apiError{Code: code, Message: msg, Diagnostics: diags}})
}

func badRequest(w http.ResponseWriter, r *http.Request, msg string, diags []estate.Diagnostic) {
	writeError(w, r, http.StatusBadRequest, "bad_request", msg, diags)
}

// unauthorized is the answer to a request without good credentials; it
// never says what was wrong with them.
func unauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="nova-plan"`)
	writeError(w, r, http.StatusUnauthorized, "unauthorized", "authentication required: log in (POST /api/v1/auth/login) and send the token as Authorization: Bearer TOKEN", nil)
}

// forbidden is the answer to a request the caller's roles do not allow;
// it says nothing of what was asked for, not even whether it exists.
func forbidden(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, http.StatusForbidden, "forbidden", "forbidden", nil)
}

// decode reads the request's JSON object into v, strictly: a JSON object
// of at most limit bytes of valid UTF-8, no unknown field, no value of
// the wrong type, nothing after it. An empty body leaves v as it is when
// emptyOK. It returns false, having answered 400 (or 415), when the body
// is not such an object.
func decode(w http.ResponseWriter, r *http.Request, v any, limit int64, emptyOK bool) bool {
	if err := checkContentType(r); err != nil {
		writeError(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type", err.Error(), nil)
		return false
	}
	if err := readJSON(w, r, v, limit, emptyOK); err != nil {
		badRequest(w, r, err.Error(), nil)
		return false
	}
	return true
}

func checkContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return errors.New("the request body must be JSON (Content-Type: application/json)")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return errors.New("the request body must be JSON in UTF-8 (Content-Type: application/json, with no charset or charset=utf-8)")
	}
	return nil
}

func readJSON(w http.ResponseWriter, r *http.Request, v any, limit int64, emptyOK bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return fmt.Errorf("the request body is larger than %d bytes", limit)
	case err != nil:
		return errors.New("the request body could not be read")
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0 && emptyOK:
		return nil
	case len(trimmed) == 0:
		return errors.New("the request needs a JSON object as its body")
	case !utf8.Valid(body):
		return errors.New("the request body is not valid UTF-8")
	case trimmed[0] != '{':
		return errors.New("the request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("the request body has data after its JSON object")
	}
	return duplicateKey(body)
}

// jsonError says what is wrong with a body in the client's terms.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("the request body is not valid JSON: %s (at byte %d)", syn.Error(), syn.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("field %q: want %s, not a JSON %s", typ.Field, jsonType(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &typ):
		return fmt.Errorf("want %s, not a JSON %s", jsonType(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the request body is not valid JSON: it ends too soon")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return errors.New("the request body is not valid JSON")
}

// jsonType names a Go kind as JSON's type.
func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "int", "int64", "int32", "uint", "uint64", "uint32":
		return "an integer"
	case "float64", "float32":
		return "a number"
	}
	return kind
}
