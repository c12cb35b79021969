package libvirt

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	lv "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"
)

// Helpers for the tests on qemu:///system, which boot the tiny test guest
// that scripts/build-test-guest.sh builds.

const (
	systemURI  = "qemu:///system"
	systemPool = "default" // made by scripts/libvirt-up.sh
	guestDir   = "/var/lib/libvirt/images/novacron-test"
	guestUp    = "NOVACRON-GUEST-UP"
)

// requireGuest fails unless libvirtd runs and the test guest is built.
func requireGuest(t testing.TB) {
	t.Helper()
	requireDaemon(t)
	for _, f := range []string{"vmlinuz", "initrd.img"} {
		if _, err := os.Stat(guestDir + "/" + f); err != nil {
			t.Fatalf("the test guest is missing (%v): build it with scripts/libvirt-up.sh, which `make test` runs", err)
		}
	}
}

// systemConn connects to qemu:///system for the test's own checks.
func systemConn(t testing.TB) *lv.Libvirt {
	t.Helper()
	l := lv.NewWithDialer(dialers.NewLocal(dialers.WithLocalTimeout(5 * time.Second)))
	if err := l.ConnectToURI(systemURI); err != nil {
		t.Fatalf("connecting to %s: %v", systemURI, err)
	}
	t.Cleanup(func() { l.Disconnect() })
	return l
}

// uniquePrefix returns a name prefix no other run uses, and removes every
// domain and volume of that prefix when the test ends, passed or failed.
func uniquePrefix(t testing.TB, l *lv.Libvirt, what string) string {
	t.Helper()
	prefix := fmt.Sprintf("nc%s-%04x-", what, rand.IntN(1<<16))
	t.Cleanup(func() { removePrefix(t, l, prefix) })
	return prefix
}

// removePrefix destroys and undefines the domains and deletes the volumes
// whose names start with prefix.
func removePrefix(t testing.TB, l *lv.Libvirt, prefix string) {
	t.Helper()
	for _, dom := range leftDomains(t, l, prefix) {
		l.DomainDestroyFlags(dom, 0)
		if err := l.DomainUndefineFlags(dom, lv.DomainUndefineNvram); err != nil {
			t.Errorf("cleaning up domain %s: %v", dom.Name, err)
		}
	}
	pool, err := l.StoragePoolLookupByName(systemPool)
	if err != nil {
		t.Errorf("cleaning up: %v", err)
		return
	}
	for _, v := range leftVolumes(t, l, prefix) {
		vol, err := l.StorageVolLookupByName(pool, v)
		if err == nil {
			err = l.StorageVolDelete(vol, 0)
		}
		if err != nil {
			t.Errorf("cleaning up volume %s: %v", v, err)
		}
	}
}

// leftDomains lists the domains whose names start with prefix.
func leftDomains(t testing.TB, l *lv.Libvirt, prefix string) []lv.Domain {
	t.Helper()
	doms, _, err := l.ConnectListAllDomains(1, lv.ConnectListDomainsActive|lv.ConnectListDomainsInactive)
	if err != nil {
		t.Fatalf("listing domains: %v", err)
	}
	var out []lv.Domain
	for _, d := range doms {
		if strings.HasPrefix(d.Name, prefix) {
			out = append(out, d)
		}
	}
	return out
}

// leftVolumes lists the volumes of the system pool whose names start with prefix.
func leftVolumes(t testing.TB, l *lv.Libvirt, prefix string) []string {
	t.Helper()
	pool, err := l.StoragePoolLookupByName(systemPool)
	if err != nil {
		t.Fatalf("looking up pool %s: %v", systemPool, err)
	}
	if err := l.StoragePoolRefresh(pool, 0); err != nil {
		t.Fatalf("refreshing pool %s: %v", systemPool, err)
	}
	vols, _, err := l.StoragePoolListAllVolumes(pool, 1, 0)
	if err != nil {
		t.Fatalf("listing volumes: %v", err)
	}
	var out []string
	for _, v := range vols {
		if strings.HasPrefix(v.Name, prefix) {
			out = append(out, v.Name)
		}
	}
	return out
}

// waitForLine waits until the file holds a whole line containing want
// (serial output under TCG arrives slowly) and returns that line.
func waitForLine(t testing.TB, path, want string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		data, _ := os.ReadFile(path)
		for _, line := range strings.SplitAfter(string(data), "\n") {
			if strings.Contains(line, want) && strings.HasSuffix(line, "\n") {
				return strings.TrimSpace(line)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no line with %q in %s after %s; it holds:\n%s", want, path, timeout, data)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// countLines counts the lines of the file that contain s.
func countLines(path, s string) int {
	data, _ := os.ReadFile(path)
	return strings.Count(string(data), s)
}

// readFile returns a file's contents, or "" when it cannot be read.
func readFile(path string) string {
	data, _ := os.ReadFile(path)
	return string(data)
}
