package vsphere

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/vcsim"
)

// useSim points nova-plan at the simulator through the environment, as
// `eval "$(go run ./examples/vsphere/vcsim -detach)"` does.
func useSim(t testing.TB, s *vcsim.Sim) {
	t.Helper()
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}
