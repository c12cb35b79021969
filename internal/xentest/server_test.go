package xentest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rpc posts one JSON-RPC body and returns the decoded answer and status.
func rpc(t *testing.T, s *Server, body string) (map[string]any, int) {
	t.Helper()
	resp, err := s.http.Client().Post(s.URL+"/jsonrpc", "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return out, resp.StatusCode
}

// call makes a JSON-RPC 2.0 call with params.
func call(t *testing.T, s *Server, method string, params ...any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params, "id": 7})
	out, status := rpc(t, s, string(b))
	if status != http.StatusOK {
		t.Fatalf("%s: HTTP %d", method, status)
	}
	return out
}

func logIn(t *testing.T, s *Server) string {
	t.Helper()
	ref, _ := call(t, s, "session.login_with_password", s.Username, s.Password, "2.0", "test")["result"].(string)
	if !strings.HasPrefix(ref, "OpaqueRef:") {
		t.Fatalf("login gave %q", ref)
	}
	return ref
}

// TestErrorShape: errors come as XenAPI's JSON-RPC 2.0 error object,
// code 1, the XenAPI code as message and its parameters as data.
func TestErrorShape(t *testing.T) {
	s := Start(Options{})
	defer s.Close()
	got := call(t, s, "session.login_with_password", "root", "wrong", "2.0", "test")
	want := map[string]any{"jsonrpc": "2.0", "id": float64(7), "error": map[string]any{
		"code": float64(1), "message": "SESSION_AUTHENTICATION_FAILED", "data": []any{"root", "Authentication failure"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("a refused login (-want +got):\n%s", diff)
	}
	session := logIn(t, s)
	call(t, s, "session.logout", session)
	got = call(t, s, "VM.get_all_records", session)
	if e, _ := got["error"].(map[string]any); e["message"] != "SESSION_INVALID" || got["result"] != nil {
		t.Errorf("a call after logout: %v, want SESSION_INVALID", got)
	}
}

// TestStrict: unknown methods, wrong parameter counts and malformed
// requests are refused and recorded.
func TestStrict(t *testing.T) {
	s := Start(Options{})
	defer s.Close()
	session := logIn(t, s)
	for _, tc := range []struct {
		method string
		params []any
		code   string
	}{
		{"VM.get_all_records_where", []any{session, "true"}, "MESSAGE_METHOD_UNKNOWN"},
		{"Async.VM.get_all_records", []any{session}, "MESSAGE_METHOD_UNKNOWN"},
		{"VM.get_record", []any{session}, "MESSAGE_PARAMETER_COUNT_MISMATCH"},
		{"VM.set_VCPUs_max", []any{session, Null, "two"}, "FIELD_TYPE_ERROR"},
	} {
		e, _ := call(t, s, tc.method, tc.params...)["error"].(map[string]any)
		if e["message"] != tc.code {
			t.Errorf("%s: %v, want %s", tc.method, e, tc.code)
		}
	}
	if _, status := rpc(t, s, `{"method":"VM.get_all_records","params":[],"id":1}`); status != http.StatusInternalServerError {
		t.Errorf("a request without jsonrpc: HTTP %d, want 500", status)
	}
	if n := len(s.Unexpected()); n != 5 {
		t.Errorf("Unexpected: %q, want 5 entries", s.Unexpected())
	}
}

// TestTask: an async call returns a task that stays pending for
// TaskPolls polls, then holds its result as an XML-RPC value.
func TestTask(t *testing.T) {
	s := Start(Options{TaskPolls: 2})
	defer s.Close()
	session := logIn(t, s)
	refs, _ := call(t, s, "VM.get_by_name_label", session, TemplateName)["result"].([]any)
	if len(refs) != 1 {
		t.Fatalf("templates named %s: %v", TemplateName, refs)
	}
	task, _ := call(t, s, "Async.VM.clone", session, refs[0], "copy")["result"].(string)
	var states []string
	var result string
	for range 3 {
		rec, _ := call(t, s, "task.get_record", session, task)["result"].(map[string]any)
		states = append(states, rec["status"].(string))
		result, _ = rec["result"].(string)
	}
	if diff := cmp.Diff([]string{"pending", "pending", "success"}, states); diff != "" {
		t.Errorf("task states (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(result, "<value>OpaqueRef:") || !strings.HasSuffix(result, "</value>") {
		t.Errorf("task result %q, want <value>OpaqueRef:…</value>", result)
	}
	call(t, s, "task.destroy", session, task)
	if n := s.Count().Tasks; n != 0 {
		t.Errorf("%d tasks after task.destroy", n)
	}
}
