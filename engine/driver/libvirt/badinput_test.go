package libvirt

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// providerSpec is a spec whose provider block has the given body.
func providerSpec(body, volume string) string {
	return fmt.Sprintf(`
provider "libvirt" "bad" {
%s
}
template "t" {
  libvirt { volume = %q }
}
vm "one" {
  template  = template.t
  cpu       = 1
  memory_gb = 0.125
  disk_gb   = 1
}
`, body, volume)
}

// TestBadProviderBlocks: a provider that cannot be reached or used is a
// diagnostic at its block that says what is wrong, for plan and apply alike.
func TestBadProviderBlocks(t *testing.T) {
	requireDaemon(t)
	cases := []struct {
		name, body string
		want       []string
	}{
		{"unreachable tcp host", `uri = "qemu+tcp://127.0.0.1:1/system"`,
			[]string{"Cannot open provider libvirt.bad", "cannot connect to libvirt host", "127.0.0.1:1", "connection refused"}},
		{"no daemon on the socket", `uri = "qemu:///system?socket=/run/no-such-libvirt-sock"`,
			[]string{"Cannot open provider libvirt.bad", "cannot connect to libvirt host", "no-such-libvirt-sock"}},
		{"missing pool", `
  uri  = "qemu:///system"
  pool = "no-such-pool"`,
			[]string{"Cannot open provider libvirt.bad", `storage pool "no-such-pool" not found`, "virsh pool-define-as"}},
		{"uri and hosts", `
  uri   = "qemu:///system"
  hosts = { a = "qemu:///system" }`,
			[]string{"Cannot open provider libvirt.bad", "set uri (one host) or hosts (several), not both"}},
		{"neither uri nor hosts", ``,
			[]string{"Cannot open provider libvirt.bad", "set uri to the libvirt URI of the host"}},
		{"not a libvirt URI", `uri = "hv-01"`,
			[]string{"Invalid value for uri", "main.nova.hcl line 3", "is not a libvirt URI"}},
		{"ssh transport", `uri = "qemu+ssh://hv-01/system"`,
			[]string{"Invalid value for uri", `uses the "ssh" transport`}},
		{"TLS verification off in the URI", `uri = "qemu+tls://hv-01/system?no_verify=1"`,
			[]string{"Invalid value for uri", "tls_insecure_skip_verify"}},
		{"domain type", `
  uri         = "qemu:///system"
  domain_type = "xen"`,
			[]string{"Invalid value for domain_type", `must be "kvm" or "qemu"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSpec(t, dir, providerSpec(tc.body, "base.qcow2"))
			for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
				r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
				for _, w := range tc.want { // a message's first letter is capitalised when shown
					if !strings.Contains(strings.ToLower(r.Stderr), strings.ToLower(w)) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], w, r.Stderr)
					}
				}
			}
		})
	}
}

// TestMissingBaseVolume: an apply whose template names a volume the pool
// lacks fails with that name, and leaves no domain, volume or state behind.
func TestMissingBaseVolume(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "bad")
	dir := t.TempDir()
	spec := strings.Replace(providerSpec(`uri = "qemu:///system"`, prefix+"missing.qcow2"), `vm "one" {`, `vm "one" {
  name = "`+prefix+`0"`, 1)
	writeSpec(t, dir, spec)
	r := nova(t, dir, "apply", "-auto-approve").Must(t, 1, "apply")
	want := fmt.Sprintf(`Base volume %q not found in storage pool "default"`, prefix+"missing.qcow2")
	if !strings.Contains(r.Stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.Stderr)
	}
	checkLeft(t, l, prefix, nil, nil)
	if r := nova(t, dir, "state", "list").Must(t, 0, "state list"); strings.TrimSpace(r.Stdout) != "" {
		t.Errorf("a failed create is in state:\n%s", r.Stdout)
	}
}

// TestNameOfUnmanagedDomain: a VM whose name an unmanaged domain already
// has is a plan-time conflict; nothing is created and the domain is left
// alone.
func TestNameOfUnmanagedDomain(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "own")
	name := prefix + "0"
	x := fmt.Sprintf(`<domain type='qemu'><name>%s</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type><kernel>%s/vmlinuz</kernel></os></domain>`, name, guestDir)
	if _, err := l.DomainDefineXMLFlags(x, 0); err != nil {
		t.Fatalf("defining the unmanaged domain: %v", err)
	}
	dir := t.TempDir()
	writeSpec(t, dir, fmt.Sprintf(`
provider "libvirt" "local" {
  uri         = "qemu:///system"
  domain_type = "qemu"
}
template "tiny" {
  libvirt { kernel = "%s/vmlinuz" }
}
vm "one" {
  name      = %q
  template  = template.tiny
  cpu       = 1
  memory_gb = 0.125
}
`, guestDir, name))
	for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
		r := nova(t, dir, cmd...).Must(t, 1, cmd[0])
		for _, w := range []string{"VM name already in use", name, "carries no NovaCron marker"} {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], w, r.Stderr)
			}
		}
	}
	checkLeft(t, l, prefix, []string{name}, nil)
}

// TestCreateRefusesTakenName: Create itself (as when another tool defines
// the name between plan and apply) refuses a name in use, with a permanent
// error that says what to do, and makes nothing.
func TestCreateRefusesTakenName(t *testing.T) {
	holder := testHost(t)
	d := openDriver(t, testConfig())
	_, err := d.Create(t.Context(), testSpec("test", volumeTemplate)) // the test host's own domain
	if err == nil || driver.KindOf(err) != driver.KindPermanent || !strings.Contains(err.Error(), "nova-plan import") {
		t.Fatalf("Create of a taken name: %v, want a permanent error pointing at import", err)
	}
	pool, _ := holder.StoragePoolLookupByName(testPool)
	vols, _, _ := holder.StoragePoolListAllVolumes(pool, 1, 0)
	if len(vols) != 1 {
		t.Errorf("the refused Create left volumes behind: %v", vols)
	}
}

// TestCreateCleansUpAfterFailedStart: when the domain cannot start (here:
// its network does not exist), Create removes the domain and its disk.
func TestCreateCleansUpAfterFailedStart(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "start")
	d := openDriver(t, driver.Config{settingURI: systemURI, settingDomainType: "qemu", settingNetwork: prefix + "no-such-net"})
	tmpl := driver.TemplateRef{Name: "tiny", Config: driver.Config{tmplKernel: guestDir + "/vmlinuz", tmplUser: "#cloud-config\n"}}
	spec := testSpec(prefix+"0", tmpl)
	spec.MemoryMiB = 128
	_, err := d.Create(t.Context(), spec)
	if err == nil || !strings.Contains(err.Error(), "starting VM") || !strings.Contains(err.Error(), "no-such-net") {
		t.Fatalf("Create on a missing network: %v, want an error about starting it", err)
	}
	checkLeft(t, l, prefix, nil, nil)
}

// TestUnknownIDIsNotFound: IDs that are not UUIDs, and UUIDs no host
// knows, are not-found errors for Update and no error for Delete.
func TestUnknownIDIsNotFound(t *testing.T) {
	testHost(t)
	d := openDriver(t, testConfig())
	for _, id := range []string{"not-a-uuid", "6a0c3c9e-1a1e-4d52-9f56-6c1f5a0c2a11"} {
		if _, err := d.Update(t.Context(), id, driver.Changes{CPU: new(2)}); !errors.Is(err, driver.ErrNotFound) {
			t.Errorf("Update(%s): %v, want not-found", id, err)
		}
		if err := d.Delete(t.Context(), id); err != nil {
			t.Errorf("Delete(%s): %v, want nil", id, err)
		}
	}
}

// TestErrorKinds: libvirt errors map to the kinds the executor acts on.
func TestErrorKinds(t *testing.T) {
	cases := []struct {
		err  error
		want driver.Kind
	}{
		{lv.Error{Code: uint32(lv.ErrNoDomain), Message: "Domain not found"}, driver.KindNotFound},
		{lv.Error{Code: uint32(lv.ErrOperationTimeout), Message: "timed out"}, driver.KindTransient},
		{lv.Error{Code: uint32(lv.ErrOperationFailed), Message: "Timed out during operation: cannot acquire state change lock"}, driver.KindTransient},
		{lv.Error{Code: uint32(lv.ErrInternalError), Message: "Not enough free space in pool"}, driver.KindCapacity},
		{lv.Error{Code: uint32(lv.ErrNoMemory), Message: "out of memory"}, driver.KindCapacity},
		{lv.Error{Code: uint32(lv.ErrOperationInvalid), Message: "domain is not running"}, driver.KindPermanent},
		{fmt.Errorf("reading: %w", lv.ErrInterrupted), driver.KindTransient},
		{&net.OpError{Op: "dial", Net: "unix", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ENOENT}}, driver.KindTransient},
		{fmt.Errorf("read: %w", io.EOF), driver.KindTransient},
		{errors.New("something else"), driver.KindPermanent},
	}
	for _, tc := range cases {
		if got := classify(tc.err); got != tc.want {
			t.Errorf("classify(%v) = %s, want %s", tc.err, got, tc.want)
		}
	}
}
