package estate_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Folders whose names are not workspace names are skipped, with why; the
// others are served.
func TestOpenSkipsBadFolders(t *testing.T) {
	root := newRoot(t)
	for _, name := range []string{"x<img>", "foo.bak", "my ws"} {
		writeFile(t, filepath.Join(root, name, "main.nova.hcl"), apiSpec)
	}
	e := open(t, root, nil)
	all, err := e.Workspaces(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ws := range all {
		names = append(names, ws.Name)
	}
	if d := cmp.Diff([]string{"cloud", "quickstart"}, names); d != "" {
		t.Errorf("workspaces (-want +got):\n%s", d)
	}
	var skipped []string
	for _, s := range e.Skipped() {
		skipped = append(skipped, s.Folder)
		if !strings.Contains(s.Reason, "workspace name") {
			t.Errorf("skipped %q because %q, want the reason to name the rule", s.Folder, s.Reason)
		}
	}
	if d := cmp.Diff([]string{"foo.bak", "my ws", "x<img>"}, skipped); d != "" {
		t.Errorf("skipped folders (-want +got):\n%s", d)
	}
}
