package estate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// What a 400 says names spec files relative to the workspace folder: no
// path of the server's shows, for the workspace's own spec or an upload.
func TestErrorsHideServerPaths(t *testing.T) {
	root := newRoot(t)
	e := open(t, root, nil)
	own, err := os.ReadFile(filepath.Join(root, "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []estate.PlanRequest{
		{Vars: map[string]string{"web_count": "100000"}},
		{Vars: map[string]string{"web_count": "100000"}, Files: map[string]string{"main.nova.hcl": string(own)}},
	} {
		_, err := e.Plan(context.Background(), "quickstart", "ci", r)
		var inv *estate.InvalidError
		if !errors.As(err, &inv) {
			t.Fatalf("Plan: %v, want an *InvalidError", err)
		}
		texts := []string{inv.Message}
		for _, d := range inv.Diagnostics {
			texts = append(texts, d.Summary, d.Detail)
			if d.Range != nil {
				texts = append(texts, d.Range.Filename)
			}
		}
		all := strings.Join(texts, "\n")
		if strings.Contains(all, root) || strings.Contains(all, os.TempDir()+"/") || strings.Contains(all, "/main.nova.hcl") {
			t.Errorf("the 400 quotes a server path:\n%s", all)
		}
		if !strings.Contains(all, "main.nova.hcl:") {
			t.Errorf("the 400 does not name main.nova.hcl:\n%s", all)
		}
	}
}
