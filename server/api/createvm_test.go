package api_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/server"
	"github.com/novacron/novacron/server/auth"
)

// TestCreateVMWithoutAPIWorkspace: a server started without
// -api-workspace refuses POST /api/v1/vms — with 403 to a caller who may
// create VMs in no workspace (who learns nothing of the configuration),
// with 409 saying how to configure it to one who may.
func TestCreateVMWithoutAPIWorkspace(t *testing.T) {
	root := t.TempDir()
	copyExample(t, "quickstart", filepath.Join(root, "quickstart"))
	for name, roles := range testUsers {
		if err := auth.AddUser(auth.UsersPath(root), name, testPassword, roles); err != nil {
			t.Fatalf("adding user %s: %v", name, err)
		}
	}
	e := serveEnvOptions(t, root, nil, server.Options{LockTimeout: 2 * time.Minute})
	for _, c := range []struct {
		user, errCode string
		code          int
	}{
		{"viewer", "forbidden", 403},
		{"operator", "conflict", 409},
		{"admin", "conflict", 409},
	} {
		t.Run(c.user, func(t *testing.T) {
			got := e.do(t, c.user, "POST", "/api/v1/vms", `{"name":"x","template":"ubuntu-22.04"}`).wantError(t, c.code, c.errCode)
			if says := strings.Contains(got.Error.Message, "api-workspace"); says != (c.code == 409) {
				t.Errorf("%s: the answer mentions -api-workspace: %v, want %v: %q", c.user, says, c.code == 409, got.Error.Message)
			}
		})
	}
}
