package pgtests

import (
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/pgtest"
)

// TestExampleTeam walks examples/team/README.md against the real server:
// two workspaces of one pg schema, encrypted, and the spec's
// encryption requirement refusing a run without the key. Only the schema is
// the test's own (-backend-config), so runs do not share state.
func TestExampleTeam(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("..", "..", "..", "examples", "team", "main.nova.hcl")
	body, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	clitest.WriteSpec(t, dir, string(body))
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	env := []string{"NOVA_PG_CONN_STR=" + conn, "NOVA_STATE_KEY=" + base64.StdEncoding.EncodeToString(key)}
	bc := "-backend-config=schema=" + schema
	run := func(extra []string, args ...string) clitest.Result {
		t.Helper()
		cmd := append([]string{args[0]}, append(args[1:], bc)...)
		if args[0] == "workspace" || args[0] == "state" {
			cmd = append(args[:2:2], append([]string{bc}, args[2:]...)...)
		}
		return clitest.RunEnv(t, novaBin, dir, "", append(append([]string{}, env...), extra...), cmd...)
	}

	run(nil, "workspace", "new", "staging").Must(t, 0, "workspace new staging")
	run(nil, "apply", "-auto-approve").Must(t, 0, "apply in staging")
	run(nil, "workspace", "new", "prod").Must(t, 0, "workspace new prod")
	run(nil, "apply", "-auto-approve", "-var", "env=prod", "-var", "web_count=5").Must(t, 0, "apply in prod")

	list := run(nil, "workspace", "list").Must(t, 0, "workspace list")
	for _, want := range []string{"  default", "  staging", "* prod"} {
		if !strings.Contains(list.Stdout, want) {
			t.Errorf("workspace list lacks %q:\n%s", want, list.Stdout)
		}
	}
	if got := run(nil, "state", "list").Must(t, 0, "state list in prod").Stdout; strings.Count(got, "fleet.web[") != 5 {
		t.Errorf("prod manages %d VMs, want 5:\n%s", strings.Count(got, "fleet.web["), got)
	}
	run([]string{"NOVA_WORKSPACE=staging"}, "plan", "-detailed-exitcode").Must(t, 0, "staging has not drifted")
	if got := run([]string{"NOVA_WORKSPACE=staging"}, "state", "list").Stdout; strings.Count(got, "fleet.web[") != 3 {
		t.Errorf("staging manages %d VMs, want 3:\n%s", strings.Count(got, "fleet.web["), got)
	}
	hist := run(nil, "history", "-since=1h").Must(t, 0, "history")
	if n := strings.Count(hist.Stdout, "create"); n != 5 {
		t.Errorf("prod's history shows %d creates, want 5:\n%s", n, hist.Stdout)
	}

	// Without the key, the spec's encryption requirement stops every run.
	noKey := clitest.RunEnv(t, novaBin, dir, "", []string{"NOVA_PG_CONN_STR=" + conn}, "plan", bc)
	noKey.Must(t, 1, "plan without NOVA_STATE_KEY")
	if !strings.Contains(noKey.Stderr, "encryption is required") {
		t.Errorf("plan without the key does not say encryption is required:\n%s", noKey.Stderr)
	}
}
