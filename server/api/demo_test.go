package api_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/server/auth"
)

// TestDemoKeepsServerState runs scripts/demo.sh (make demo) over a
// quickstart that a server has served: the demo starts from a fresh
// state and simulator, but the server's users, signing key and audit log
// under .nova/server stay, so logging in still works afterwards.
func TestDemoKeepsServerState(t *testing.T) {
	bin, cleanup, err := clitest.Build()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	dir := filepath.Join(t.TempDir(), "quickstart")
	copyExample(t, "quickstart", dir)
	if err := auth.AddUser(auth.UsersPath(dir), "alice", testPassword, map[string]auth.Role{auth.AllWorkspaces: auth.Admin}); err != nil {
		t.Fatal(err)
	}
	users, err := os.ReadFile(auth.UsersPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".nova", "stale-state")
	writeFile(t, stale, "left by an earlier run\n")

	demo := exec.Command(filepath.Join("..", "..", "scripts", "demo.sh"), bin, dir)
	if out, err := demo.CombinedOutput(); err != nil {
		t.Fatalf("scripts/demo.sh: %v\n%s", err, out)
	}
	if got, err := os.ReadFile(auth.UsersPath(dir)); err != nil || string(got) != string(users) {
		t.Errorf("after the demo the users file is %q (%v), want it unchanged", got, err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("the demo left %s: it must start from a fresh state", stale)
	}
}
