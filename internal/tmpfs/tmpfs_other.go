//go:build !linux

package tmpfs

import (
	"runtime"
	"testing"
)

// Mount fails the test: mounting a tmpfs is done on Linux only.
func Mount(t testing.TB, dir, options string) {
	t.Helper()
	t.Fatalf("this test mounts a tmpfs to get a real ENOSPC, which needs Linux; this is %s", runtime.GOOS)
}

// Fill is not reached on this platform: Mount fails first.
func Fill(t testing.TB, dir string) func() { t.Helper(); t.FailNow(); return nil }

// FillInodes is not reached on this platform: Mount fails first.
func FillInodes(t testing.TB, dir string) func() { t.Helper(); t.FailNow(); return nil }
