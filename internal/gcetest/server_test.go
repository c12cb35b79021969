package gcetest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// client calls the server with an issued token, without Google's client.
type client struct {
	t     *testing.T
	s     *Server
	token string
}

func start(t *testing.T, o Options) *client {
	t.Helper()
	s, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	s.mu.Lock()
	s.tokens["test-token"] = true
	s.mu.Unlock()
	return &client{t: t, s: s, token: "test-token"}
}

// call sends a request and decodes the JSON answer.
func (c *client) call(method, path, body string) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.s.URL+"/compute/v1/"+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		c.t.Fatalf("%s %s answered no JSON: %s", method, path, b)
	}
	return resp.StatusCode, out
}

// reason is the first reason of Google's error JSON.
func reason(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	errs, _ := e["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	first, _ := errs[0].(map[string]any)
	r, _ := first["reason"].(string)
	return r
}

const insertBody = `{"name":"web-0","machineType":"zones/us-central1-a/machineTypes/e2-small",
 "disks":[{"boot":true,"autoDelete":true,"initializeParams":{"diskName":"web-0","sourceImage":"` + ImagePath + `","diskSizeGb":"10"}}],
 "networkInterfaces":[{"network":"projects/novacron-test/global/networks/default"}],"labels":{"tier":"web"}}`

const zonePath = "projects/novacron-test/zones/us-central1-a/"

// TestUnknownCallsRefused: a method, query parameter or field the server
// does not know is a Google error naming it, recorded for the test.
func TestUnknownCallsRefused(t *testing.T) {
	c := start(t, Options{})
	for _, tc := range []struct{ method, path, body, want string }{
		{"POST", zonePath + "instances/web-0/reset", "", "/reset"},
		{"GET", zonePath + "instances?fields=items", "", `"fields"`},
		{"POST", zonePath + "instances", `{"name":"x","shieldedInstanceConfig":{}}`, "shieldedInstanceConfig"},
	} {
		code, out := c.call(tc.method, tc.path, tc.body)
		if code != 400 || reason(out) != "unknownMethod" {
			t.Errorf("%s %s: %d %v, want 400 unknownMethod", tc.method, tc.path, code, out)
		}
	}
	if u := c.s.Unexpected(); len(u) != 3 {
		t.Errorf("Unexpected() = %q, want the 3 refused calls", u)
	}
}

// TestAuthRequired: a call without an issued token is Google's 401.
func TestAuthRequired(t *testing.T) {
	c := start(t, Options{})
	c.token = "forged"
	if code, out := c.call("GET", zonePath+"instances", ""); code != 401 || reason(out) != "authError" {
		t.Errorf("a forged token: %d %v, want 401 authError", code, out)
	}
	resp, err := http.PostForm(c.s.URL+"/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {"a.b.c"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("the token endpoint took a forged assertion: %d", resp.StatusCode)
	}
}

// TestRequestIDAndOperations: the same requestId answers the same
// operation; the operation moves PENDING → RUNNING → DONE one poll each,
// and the instance runs at DONE; a taken name is alreadyExists.
func TestRequestIDAndOperations(t *testing.T) {
	c := start(t, Options{})
	const id = "3f1c2a4e-5b6d-5e7f-8a9b-0c1d2e3f4a5b"
	_, op1 := c.call("POST", zonePath+"instances?requestId="+id, insertBody)
	_, op2 := c.call("POST", zonePath+"instances?requestId="+id, insertBody)
	if op1["name"] == nil || op1["name"] != op2["name"] || len(c.s.Instances()) != 1 {
		t.Fatalf("two inserts with one requestId: %v and %v, %d instances; want one operation, one instance", op1["name"], op2["name"], len(c.s.Instances()))
	}
	if code, out := c.call("POST", zonePath+"instances?requestId=3f1c2a4e-5b6d-5e7f-8a9b-0c1d2e3f4a5c", insertBody); code != 409 || reason(out) != "alreadyExists" {
		t.Errorf("another insert of web-0: %d %v, want 409 alreadyExists", code, out)
	}
	if code, _ := c.call("POST", zonePath+"instances?requestId=not-a-uuid", insertBody); code != 400 {
		t.Errorf("a requestId that is no UUID: %d, want 400", code)
	}
	var seen []string
	for range 3 {
		_, op := c.call("GET", zonePath+"operations/"+op1["name"].(string), "")
		seen = append(seen, op["status"].(string))
	}
	if strings.Join(seen, ",") != "RUNNING,DONE,DONE" || c.s.Instances()[0].Status != "RUNNING" {
		t.Errorf("polls saw %v, instance %s; want RUNNING,DONE,DONE and RUNNING", seen, c.s.Instances()[0].Status)
	}
}

// TestPagingAndFilter: lists page by maxResults with pageToken, and a
// label filter selects.
func TestPagingAndFilter(t *testing.T) {
	c := start(t, Options{Instances: 7, Zones: []string{"us-central1-a"}})
	total, pages := 0, 0
	for token := ""; ; pages++ {
		_, out := c.call("GET", zonePath+"instances?maxResults=3&pageToken="+token, "")
		items, _ := out["items"].([]any)
		total += len(items)
		next, _ := out["nextPageToken"].(string)
		if next == "" {
			break
		}
		token = next
	}
	if total != 7 || pages != 2 {
		t.Errorf("paging by 3 saw %d instances on %d pages, want 7 on 3", total, pages+1)
	}
	if _, out := c.call("GET", zonePath+"instances?filter="+url.QueryEscape("labels.novacron:*"), ""); out["items"] != nil {
		t.Errorf("the marker filter selected unmanaged instances: %v", out["items"])
	}
	if code, _ := c.call("GET", zonePath+"instances?maxResults=501", ""); code != 400 {
		t.Errorf("maxResults=501: %d, want 400", code)
	}
}

// TestLabelFingerprint: setLabels with a stale fingerprint is refused.
func TestLabelFingerprint(t *testing.T) {
	c := start(t, Options{Instances: 1, Zones: []string{"us-central1-a"}})
	_, inst := c.call("GET", zonePath+"instances/unmanaged-00000", "")
	fp := inst["labelFingerprint"].(string)
	body := `{"labels":{"a":"b"},"labelFingerprint":"` + fp + `"}`
	if code, out := c.call("POST", zonePath+"instances/unmanaged-00000/setLabels", body); code != 200 {
		t.Fatalf("setLabels: %d %v", code, out)
	}
	if code, out := c.call("POST", zonePath+"instances/unmanaged-00000/setLabels", body); code != 412 || reason(out) != "conditionNotMet" {
		t.Errorf("setLabels with a stale fingerprint: %d %v, want 412 conditionNotMet", code, out)
	}
	if code, out := c.call("POST", zonePath+"instances/unmanaged-00000/setLabels", `{"labels":{"Bad":"x"},"labelFingerprint":""}`); code != 400 || reason(out) != "invalid" {
		t.Errorf("a label key in upper case: %d %v, want 400 invalid", code, out)
	}
}
