package hyperv

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/hypervtest"
)

// openErr opens a driver on cfg and returns Open's error.
func openErr(cfg driver.Config) error {
	d, err := Open(context.Background(), driver.OpenRequest{Name: "lab", Config: cfg})
	if err == nil {
		d.Close()
	}
	return err
}

// TestOpenRefused: wrong credentials, an untrusted certificate, NTLM
// against an endpoint offering Basic only, an unknown host or switch are
// each one error naming what to fix, and never the password.
func TestOpenRefused(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	for _, tc := range []struct {
		name string
		edit func(driver.Config)
		want []string
	}{
		{"wrong password", func(c driver.Config) { c[settingPassword] = "wrong-password" },
			[]string{"the host refused the credentials (WinRM authentication failed)", "check username novacron and", `auth = "ntlm"`}},
		{"wrong password, basic", func(c driver.Config) { c[settingPassword] = "wrong-password"; c[settingAuth] = authBasic },
			[]string{"the host refused the credentials (WinRM authentication failed)", "check username novacron and", `auth = "basic"`}},
		{"wrong user", func(c driver.Config) { c[settingUsername] = `HV1\someone` },
			[]string{"the host refused the credentials (WinRM authentication failed)", `check username HV1\someone and`}},
		{"untrusted certificate", func(c driver.Config) { delete(c, settingCAFile) },
			[]string{"cannot verify the TLS certificate", "set ca_file", "insecure = true"}},
		{"unknown host", func(c driver.Config) { c[settingHosts] = []string{"HV1", "HV9"} },
			[]string{"step 2/2 'Get-VMHost -ComputerName HV9' failed", "check hosts"}},
		{"unknown switch", func(c driver.Config) { c[settingSwitch] = "WAN" },
			[]string{`switch "WAN" not found on Hyper-V host HV1`, "set switch to one of LAN"}},
		{"http without allow_unencrypted", func(c driver.Config) { c[settingURL] = "http://127.0.0.1:5985/wsman"; c[settingAuth] = authBasic },
			[]string{"unencrypted", "set allow_unencrypted = true"}},
		{"http with ntlm", func(c driver.Config) { c[settingURL] = "http://127.0.0.1:5985/wsman"; c[settingAuth] = authNTLM },
			[]string{"NTLM message encryption", "use https"}},
		{"malformed url", func(c driver.Config) { c[settingURL] = "hv1.example.net:5986" },
			[]string{"not a WinRM URL", "https://HOST:5986/wsman"}},
		{"password in url", func(c driver.Config) { c[settingURL] = "https://admin:hunter2@127.0.0.1/wsman" },
			[]string{"holds a user name or password", "set username and password instead"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := serverConfig(s)
			tc.edit(cfg)
			err := openErr(cfg)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			for _, secret := range []string{s.Password, "hunter2", "wrong-password"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error shows a password: %v", err)
				}
			}
		})
	}
}

// TestAuthSchemes: NTLM against an endpoint that offers Basic only fails
// without sending the password as Basic; Basic against one that offers
// NTLM only is refused credentials; each scheme works where offered.
func TestAuthSchemes(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts hypervtest.Options
		auth string
		want string // "" for success
	}{
		{"ntlm", hypervtest.Options{NoBasic: true}, authNTLM, ""},
		{"basic", hypervtest.Options{NoNTLM: true}, authBasic, ""},
		{"ntlm against basic only", hypervtest.Options{NoNTLM: true}, authNTLM, "does not offer NTLM (Negotiate) authentication, and auth = \"ntlm\" never sends the password with Basic"},
		{"basic against ntlm only", hypervtest.Options{NoBasic: true}, authBasic, "the host refused the credentials (WinRM authentication failed)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, tc.opts)
			cfg := serverConfig(s)
			cfg[settingAuth] = tc.auth
			err := openErr(cfg)
			if tc.want == "" && err != nil {
				t.Fatalf("Open: %v", err)
			}
			if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("Open: %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// TestUnencryptedByName: plain http works only with Basic and
// allow_unencrypted written in the block.
func TestUnencryptedByName(t *testing.T) {
	s := startServer(t, hypervtest.Options{HTTP: true})
	cfg := serverConfig(s)
	delete(cfg, settingCAFile)
	cfg[settingAuth], cfg[settingAllowUnencrypted] = authBasic, true
	d := openDriver(t, cfg)
	if _, err := d.Inventory(context.Background()); err != nil {
		t.Fatalf("Inventory over http: %v", err)
	}
}

// TestHangNamesItsStep: a script that hangs in a step is stopped at
// wait_timeout, and the error names the operation and the step; the
// server saw the command signalled.
func TestHangNamesItsStep(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	cfg := serverConfig(s)
	cfg[settingWait] = time.Second
	d := openDriver(t, cfg)
	vm, err := d.Create(context.Background(), testSpec("web-1"))
	if err != nil {
		t.Fatal(err)
	}
	s.Hang("2/3 Move-VM")
	signals := s.Requests("Signal")
	err = d.Migrate(context.Background(), vm.ID, "HV2", true)
	want := "Move-VM web-1 to HV2: step 2/3 'Move-VM to HV2' did not finish within 1s"
	if err == nil || !strings.Contains(err.Error(), want) || driver.KindOf(err) != driver.KindTransient {
		t.Fatalf("Migrate hanging in Move-VM: %v (%v); want a transient error with %q", err, driver.KindOf(err), want)
	}
	if s.Requests("Signal") <= signals {
		t.Error("the hanging script was not signalled to stop")
	}
	s.Hang("")
	if got := serverVM(t, s, "web-1").Host; got != "HV1" {
		t.Errorf("the VM is on %s after the stopped move", got)
	}
}

// TestCreateStoppedIsNotRetried: a create script stopped after New-VM is
// a permanent error (a retry could make a second VM), and the VM it made
// carries its marker, which Inventory reports.
func TestCreateStoppedIsNotRetried(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	cfg := serverConfig(s)
	cfg[settingWait] = time.Second
	d := openDriver(t, cfg)
	s.Hang("3/6 New-VHD")
	_, err := d.Create(context.Background(), testSpec("web-1"))
	err0 := err
	if err == nil || driver.KindOf(err) != driver.KindPermanent || !strings.Contains(err.Error(), "step 3/6 'New-VHD' did not finish") {
		t.Fatalf("Create stopped in New-VHD: %v (%v), want a permanent error naming the step", err, driver.KindOf(err))
	}
	s.Hang("")
	inv, err := d.Inventory(context.Background())
	if err != nil || len(inv.VMs) != 1 || inv.VMs[0].Marker == nil || inv.VMs[0].Marker.Address != "vm.web-1" {
		t.Fatalf("Inventory after the stopped create: %+v, %v; want the half-made VM with its marker", inv.VMs, err)
	}
	// It has no disk: a plan must replace it, never adopt it as it is, so
	// its template is one no spec's matches.
	if tpl := inv.VMs[0].Template; !strings.HasPrefix(tpl, unfinishedPrefix) {
		t.Errorf("the half-made VM's template is %q, want it to start with %q", tpl, unfinishedPrefix)
	}
	if !strings.Contains(err0.Error(), "the next plan finds it by the marker in its Notes and replaces it") {
		t.Errorf("the stopped create's error does not say what happens to the VM: %v", err0)
	}
	vm, err := d.Create(context.Background(), testSpec("web-2"))
	if err != nil || vm.Template != testSpec("web-2").Template.ID() {
		t.Errorf("a finished create reports template %q (%v), want %q", vm.Template, err, testSpec("web-2").Template.ID())
	}
}

// TestMoveThatDoesNotMove: Move-VM reporting success while the VM stays
// is an error, found by reading the VM back.
func TestMoveThatDoesNotMove(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	d := openDriver(t, serverConfig(s))
	vm, err := d.Create(context.Background(), testSpec("web-1"))
	if err != nil {
		t.Fatal(err)
	}
	s.NoMove(true)
	err = d.Migrate(context.Background(), vm.ID, "HV2", true)
	if err == nil || !strings.Contains(err.Error(), "Move-VM reported success, but the VM is still on HV1") {
		t.Fatalf("Migrate that does not move: %v", err)
	}
}

// TestHostileNames: VM names that close PowerShell's quotes (' and the
// typographic ’ it also takes for one) reach the server as data, and the
// other VMs are untouched.
func TestHostileNames(t *testing.T) {
	s := startServer(t, hypervtest.Options{VMs: 3})
	d := openDriver(t, serverConfig(s))
	for _, name := range []string{`a'; Remove-VM *; '`, "a’; Remove-VM -Name * -Force; ‘", `$(Remove-VM *)`, "`\"; exit 0 #", "é\u00a0\u2028z"} {
		spec := testSpec(name)
		spec.Tags = map[string]string{"note": name}
		vm, err := d.Create(context.Background(), spec)
		if err != nil {
			t.Fatalf("Create(%q): %v", name, err)
		}
		if got := serverVM(t, s, name); got.ID != vm.ID {
			t.Errorf("the server's VM %q has id %s, the driver reported %s", name, got.ID, vm.ID)
		}
		if vm.Name != name || vm.Tags["note"] != name {
			t.Errorf("Create(%q) reported name %q, tags %v", name, vm.Name, vm.Tags)
		}
	}
	if n := len(s.VMs()); n != 3+5 {
		t.Errorf("the server has %d VMs, want the 3 it had and the 5 made", n)
	}
}

// TestUserNotesKept: text the user wrote in Notes survives NovaCron's
// updates of its record, and a VM whose Notes the user wrote alone is
// reported without a marker.
func TestUserNotesKept(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	d := openDriver(t, serverConfig(s))
	vm, err := d.Create(context.Background(), testSpec("web-1"))
	if err != nil {
		t.Fatal(err)
	}
	s.SetVM(vm.ID, func(v *hypervtest.VM) { v.Notes = "owned by ops\n[novacron] is not JSON here\n" + v.Notes })
	if _, err := d.Update(context.Background(), vm.ID, driver.Changes{Tags: map[string]string{"tier": "db"}}); err != nil {
		t.Fatal(err)
	}
	notes := serverVM(t, s, "web-1").Notes
	user, rec, ok := readNotes(notes)
	if !ok || user != "owned by ops\n[novacron] is not JSON here" || rec.Tags["tier"] != "db" || rec.Address != "vm.web-1" {
		t.Errorf("Notes after the update: %q", notes)
	}
}

// TestMissingDisk: a VM whose disk file is gone does not fail the
// inventory; its disk reads as 0 (unknown, so no disk change is planned).
func TestMissingDisk(t *testing.T) {
	s := startServer(t, hypervtest.Options{VMs: 2})
	d := openDriver(t, serverConfig(s))
	s.SetVM(s.VMs()[0].ID, func(v *hypervtest.VM) { v.Disks = []string{`D:\Other\gone.vhdx`} })
	inv, err := d.Inventory(context.Background())
	if err != nil || len(inv.VMs) != 2 {
		t.Fatalf("Inventory with a VM whose disk is gone: %d VMs, %v", len(inv.VMs), err)
	}
	if inv.VMs[0].DiskGB != 0 || inv.VMs[1].DiskGB != 40 {
		t.Errorf("disks %d and %d GB, want 0 (gone) and 40", inv.VMs[0].DiskGB, inv.VMs[1].DiskGB)
	}
}

// TestTooManyTags: tags that would make the create script's command
// line longer than Windows takes are refused by CheckCreate, at plan
// time, and nothing is sent.
func TestTooManyTags(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	d := openDriver(t, serverConfig(s))
	spec := testSpec("web-1")
	for i := range 40 {
		spec.Tags[fmt.Sprintf("tag-%02d", i)] = "a-value-of-some-length"
	}
	cmds := s.Requests("Command")
	err := d.CheckCreate(context.Background(), spec)
	if err == nil || driver.KindOf(err) != driver.KindPermanent || !strings.Contains(err.Error(), "use fewer or shorter tags") {
		t.Fatalf("CheckCreate with 40 tags: %v", err)
	}
	if n := s.Requests("Command") - cmds; n != 0 {
		t.Errorf("CheckCreate sent %d commands", n)
	}
}

// TestSecureBoot: the template's secure_boot reaches the VM's firmware;
// without it the VM has Hyper-V's default.
func TestSecureBoot(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	d := openDriver(t, serverConfig(s))
	for name, sb := range map[string]string{"linux": "MicrosoftUEFICertificateAuthority", "off": "Off", "default": ""} {
		spec := testSpec(name)
		if sb != "" {
			spec.Template = driver.TemplateRef{Name: "tiny", Config: driver.Config{tmplVHDX: hypervtest.Template, tmplSecureBoot: sb}}
		}
		if _, err := d.Create(context.Background(), spec); err != nil {
			t.Fatalf("Create with secure_boot %q: %v", sb, err)
		}
		want := sb
		if want == "" {
			want = "MicrosoftWindows"
		}
		if got := serverVM(t, s, name).SecureBoot; got != want {
			t.Errorf("VM %s has Secure Boot %q, want %q", name, got, want)
		}
	}
}

// TestOutOfMemory: a VM its host has no memory for fails with a capacity
// error naming the step, and leaves no VM or disk behind.
func TestOutOfMemory(t *testing.T) {
	s := startServer(t, hypervtest.Options{Hosts: []hypervtest.HostSpec{{Name: "HV1", CPU: 4, MemoryMiB: 2048, Switches: []string{hypervtest.Switch}}}})
	cfg := serverConfig(s)
	cfg[settingHosts] = []string{"HV1"}
	d := openDriver(t, cfg)
	spec := testSpec("big")
	spec.MemoryMiB = 4096
	_, err := d.Create(context.Background(), spec)
	if !errors.Is(err, driver.ErrCapacity) || !strings.Contains(err.Error(), "step 6/6 'Start-VM' failed") {
		t.Fatalf("Create of a VM too big for its host: %v (%v), want a capacity error in Start-VM", err, driver.KindOf(err))
	}
	if len(s.VMs()) != 0 || len(s.Files()) != 1 {
		t.Errorf("after the failed Create the server has VMs %v and files %v", s.VMs(), s.Files())
	}
}

// TestGracefulThenTurnOff: a guest that ignores the shutdown is turned
// off after shutdown_timeout, and the update goes on.
func TestGracefulThenTurnOff(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	d := openDriver(t, serverConfig(s))
	vm, err := d.Create(context.Background(), testSpec("web-1"))
	if err != nil {
		t.Fatal(err)
	}
	s.SetVM(vm.ID, func(v *hypervtest.VM) { v.IgnoresShutdown = true })
	got, err := d.Update(context.Background(), vm.ID, driver.Changes{CPU: new(2), Restart: true})
	if err != nil || got.CPU != 2 || got.Power != driver.PowerRunning {
		t.Fatalf("Update with a restart of a guest that ignores shutdown: %+v, %v", got, err)
	}
}
