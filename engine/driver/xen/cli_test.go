package xen

import (
	"testing"

	"github.com/novacron/novacron/internal/xentest"
)

// usePassword gives nova-plan the server's password through the
// environment, as CI systems keep it.
func usePassword(t testing.TB, s *xentest.Server) {
	t.Helper()
	t.Setenv(EnvName(settingPassword), s.Password)
}
