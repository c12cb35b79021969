package hyperv

import (
	"testing"

	"github.com/novacron/novacron/internal/hypervtest"
)

// usePassword gives nova-plan the server's password the way CI would, in
// NOVACRON_HYPERV_PASSWORD, so no spec holds it.
func usePassword(t testing.TB, s *hypervtest.Server) {
	t.Helper()
	t.Setenv(EnvName(settingPassword), s.Password)
}
