package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// FuzzDecode feeds decode any body: it answers nothing and fills the
// request when the body is one JSON object of the request's fields, and
// otherwise a 400 with the JSON error body; it never panics. The seeds
// run with go test; go test -fuzz FuzzDecode ./server/api looks further.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `{"name":"a","cpu":2,"memory_gb":1.5,"tags":{"a":"b"}}`, `{"name":1}`, `{"nope":true}`,
		`{} {}`, `{`, `[]`, `null`, "{\"name\":\"\xff\"}", `{"cpu":1e400}`, `{"tags":{"a":{"b":1}}}`,
		strings.Repeat(`{"tags":`, 1000), `{"name":"a"}` + strings.Repeat(" ", 100),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/vms", strings.NewReader(body))
		w := httptest.NewRecorder()
		var req estate.VMRequest
		ok := decode(w, r, &req, 4096, false)
		switch {
		case ok && w.Code != http.StatusOK:
			t.Fatalf("decode took %q and answered %d", body, w.Code)
		case ok && !json.Valid([]byte(body)):
			t.Fatalf("decode took %q, which is not JSON", body)
		case !ok && w.Code != http.StatusBadRequest:
			t.Fatalf("decode refused %q with %d, want 400", body, w.Code)
		case !ok:
			var e errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code != "bad_request" || e.Error.Message == "" {
				t.Fatalf("decode refused %q with the body %s", body, w.Body)
			}
		}
	})
}
