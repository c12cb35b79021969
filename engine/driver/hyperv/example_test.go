package hyperv

import (
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/hypervtest"
)

// TestExample: examples/hyperv plans and applies as written against the
// test server, given the environment hypervsim prints, and a second plan
// finds nothing to change, with the hosts written in lower case too (the
// README's command for real hosts).
func TestExample(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	for k, v := range map[string]string{
		EnvName(settingURL): s.URL, EnvName(settingUsername): s.User,
		EnvName(settingPassword): s.Password, EnvName(settingCAFile): s.CAFile,
	} {
		t.Setenv(k, v)
	}
	dir := clitest.Example(t, "hyperv")
	nova.Run(t, dir, "plan", "-detailed-exitcode").Must(t, 2, "plan of the example")
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply of the example")
	if n := len(s.VMs()); n != 3 {
		t.Errorf("the example made %d VMs, want 3", n)
	}
	nova.NoChanges(t, dir, "the example's apply")
	// The README's command for real hosts, hosts in lower case: the same
	// hosts, so nothing to change; then its live migration.
	nova.Run(t, dir, "plan", "-detailed-exitcode", `-var=hosts=["hv1","hv2"]`, "-var=db_host=HV2").Must(t, 0, "plan with hosts in lower case")
	nova.Run(t, dir, "plan", "-detailed-exitcode", "-var=db_host=HV1").Must(t, 2, "plan moving db-01 to HV1")
}
