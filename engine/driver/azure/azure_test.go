package azure

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// TestCreateWhatAzureHolds: a create makes one VM of the cheapest fitting
// size and one network interface, both carrying the marker; the VM's
// size is what Azure holds, and a delete leaves nothing behind.
func TestCreateWhatAzureHolds(t *testing.T) {
	s := newStore()
	d := openDriver(t, s, testConfig())
	ctx := context.Background()
	vm, err := d.Create(ctx, testSpec("web-0"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"web-0"}, s.VMNames()); diff != "" {
		t.Errorf("VMs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"web-0-nic"}, s.NICNames()); diff != "" {
		t.Errorf("network interfaces (-want +got):\n%s", diff)
	}
	v, err := d.get(ctx, "web-0")
	if err != nil {
		t.Fatal(err)
	}
	if got := vmSize(v.Properties); got != "Standard_B2s" {
		t.Errorf("size %s, want Standard_B2s (the cheapest with 2 vCPUs and 2 GiB)", got)
	}
	if err := d.Delete(ctx, vm.ID); err != nil {
		t.Fatal(err)
	}
	if n, m := len(s.VMNames()), len(s.NICNames()); n+m != 0 {
		t.Errorf("%d VMs and %d network interfaces left after Delete", n, m)
	}
}

// TestResizedOutOfBand: a VM resized outside NovaCron reports its new
// size's vCPUs and memory, so the plan sees the difference.
func TestResizedOutOfBand(t *testing.T) {
	s := newStore()
	d := openDriver(t, s, testConfig())
	vm, err := d.Create(context.Background(), testSpec("web-0"))
	if err != nil {
		t.Fatal(err)
	}
	s.Resize("web-0", "Standard_D4s_v5")
	inv, err := d.Inventory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := inv.VMs[0]; got.ID != vm.ID || got.CPU != 4 || got.MemoryMiB != 16384 {
		t.Errorf("after the resize: %+v, want 4 vCPUs and 16384 MiB", got)
	}
}

// TestGivenSize: a template's vm_size is used when it holds the VM, and
// refused (nothing made) when it does not.
func TestGivenSize(t *testing.T) {
	s := newStore()
	d := openDriver(t, s, testConfig())
	spec := testSpec("big")
	spec.Template = driver.TemplateRef{Name: "ubuntu", Config: driver.Config{tmplImage: testImage, tmplSize: "Standard_D4s_v5"}}
	if _, err := d.Create(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	v, _ := d.get(context.Background(), "big")
	if got := vmSize(v.Properties); got != "Standard_D4s_v5" {
		t.Errorf("size %s, want the given Standard_D4s_v5", got)
	}
	spec.Name, spec.CPU = "bigger", 8
	_, err := d.Create(context.Background(), spec)
	if err == nil || driver.KindOf(err) != driver.KindPermanent || !strings.Contains(err.Error(), "set a bigger vm_size") {
		t.Errorf("Create with a vm_size too small: %v, want a permanent error naming vm_size", err)
	}
	if diff := cmp.Diff([]string{"big"}, s.VMNames()); diff != "" {
		t.Errorf("VMs (-want +got):\n%s", diff)
	}
}

// TestCreateRetried: a create tried again after its first try went
// through (a timeout the caller saw) returns the same VM, and makes no
// second one.
func TestCreateRetried(t *testing.T) {
	s := newStore()
	d := openDriver(t, s, testConfig())
	first, err := d.Create(context.Background(), testSpec("web-0"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := d.Create(context.Background(), testSpec("web-0"))
	if err != nil {
		t.Fatalf("the retried Create: %v", err)
	}
	if again.ID != first.ID || len(s.VMNames()) != 1 {
		t.Errorf("retried Create gave %s (first %s), %d VMs", again.ID, first.ID, len(s.VMNames()))
	}
	other := testSpec("web-0")
	other.Marker.Lineage = "someone-else"
	if _, err := d.Create(context.Background(), other); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Create over another owner's VM: %v, want a conflict", err)
	}
}

// TestThrottled: Azure answering 429 for a while slows the driver down
// but every call still succeeds, through the SDK's retry policy.
func TestThrottled(t *testing.T) {
	s := newStore()
	d := openDriver(t, s, testConfig())
	s.Throttle(4)
	vm, err := d.Create(context.Background(), testSpec("web-0"))
	if err != nil {
		t.Fatalf("Create while throttled: %v", err)
	}
	s.Throttle(3)
	if _, err := d.Inventory(context.Background()); err != nil {
		t.Fatalf("Inventory while throttled: %v", err)
	}
	if calls := s.Calls("PUT networkInterfaces"); calls < 2 {
		t.Errorf("%d PUTs of the network interface: the throttled ones were not retried", calls)
	}
	s.Throttle(100)
	err = d.Delete(context.Background(), vm.ID)
	if err == nil || driver.KindOf(err) != driver.KindTransient {
		t.Errorf("Delete throttled past the retries: %v, want a transient error", err)
	}
}

// TestBulkInventory: listing 2,000 VMs is one paged list call and no call
// per VM.
func TestBulkInventory(t *testing.T) {
	s := newStore()
	s.AddVMs("other", 2000, "Standard_B2s")
	d := openDriver(t, s, testConfig())
	inv, err := d.Inventory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.VMs) != 2000 {
		t.Fatalf("Inventory lists %d VMs, want 2000", len(inv.VMs))
	}
	if got, pages := s.Calls("GET virtualMachines"), 2000/50; got != pages {
		t.Errorf("%d GETs for 2,000 VMs, want %d (one per page of 50)", got, pages)
	}
	if vm := inv.VMs[0]; vm.CPU != 2 || vm.MemoryMiB != 4096 || vm.Power != driver.PowerRunning || vm.Marker != nil {
		t.Errorf("an unmanaged VM is listed as %+v", vm)
	}
}

// BenchmarkInventory2000: a bulk inventory of 2,000 VMs through the SDK
// and its server fakes.
func BenchmarkInventory2000(b *testing.B) {
	s := newStore()
	s.AddVMs("other", 2000, "Standard_B2s")
	d := openDriver(b, s, testConfig())
	for b.Loop() {
		if _, err := d.Inventory(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestErrorsNameTheSetting: what Azure refuses comes back as one error
// naming the setting to fix, and nothing is left behind.
func TestErrorsNameTheSetting(t *testing.T) {
	cases := []struct {
		name   string
		change func(cfg driver.Config, spec *driver.VMSpec, s storeHooks)
		want   string
		kind   driver.Kind
	}{
		{"unknown image", func(_ driver.Config, spec *driver.VMSpec, _ storeHooks) {
			spec.Template.Config = driver.Config{tmplImage: "Canonical:no-such-offer:1:latest"}
		}, "set image in the template's azure block", driver.KindPermanent},
		{"unknown resource group", func(cfg driver.Config, _ *driver.VMSpec, _ storeHooks) {
			cfg[settingResourceGroup] = "nowhere"
		}, `resource group "nowhere" not found`, driver.KindPermanent},
		{"unknown subnet", func(cfg driver.Config, _ *driver.VMSpec, _ storeHooks) {
			cfg[settingSubnet] = strings.Replace(testSubnet, "default", "other", 1)
		}, "check subnet_id", driver.KindPermanent},
		{"credentials refused", func(_ driver.Config, _ *driver.VMSpec, h storeHooks) {
			h.refuse(errors.New("DefaultAzureCredential: failed to acquire a token"))
		}, "no Azure credentials", driver.KindPermanent},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore()
			cfg, spec := testConfig(), testSpec("web-0")
			tc.change(cfg, &spec, storeHooks{s})
			d := openDriver(t, s, cfg)
			_, err := d.Create(context.Background(), spec)
			if err == nil || !strings.Contains(err.Error(), tc.want) || driver.KindOf(err) != tc.kind {
				t.Errorf("Create: %v (%s), want a %s error containing %q", err, driver.KindOf(err), tc.kind, tc.want)
			}
			if n, m := len(s.VMNames()), len(s.NICNames()); n+m != 0 {
				t.Errorf("%d VMs and %d network interfaces left after the failed Create", n, m)
			}
		})
	}
}
