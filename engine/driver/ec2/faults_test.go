package ec2

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/ec2test"
)

// TestCreateRetriedAfterTimeout: a RunInstances whose answer comes after
// the caller gave up still launched; the executor retries the Create (the
// error is transient), and the retry gets the same instance back by its
// ClientToken instead of launching a second.
func TestCreateRetriedAfterTimeout(t *testing.T) {
	s := startServer(t, ec2test.Options{})
	d := openDriver(t, serverConfig(s))
	s.Delay("RunInstances", 2*time.Second, 1)
	short, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	spec := testSpec("retried")
	_, err := d.Create(short, spec)
	if err == nil || driver.KindOf(err) != driver.KindTransient {
		t.Fatalf("Create under a timeout shorter than the answer: %v, want a transient error", err)
	}
	vm, err := d.Create(context.Background(), spec)
	if err != nil {
		t.Fatalf("Create retried: %v", err)
	}
	live := s.Live()
	if len(live) != 1 || live[0].ID != vm.ID {
		t.Fatalf("the server runs %+v after a create and its retry; want the one instance %s", live, vm.ID)
	}
	if n := s.Calls("RunInstances"); n != 2 {
		t.Errorf("RunInstances called %d times, want 2 (the timed-out one and the retry)", n)
	}
}

// TestDistinctTokens: two drivers (two applies) send different tokens for
// the same VM, so a VM deleted and created again is launched anew rather
// than answered with the terminated instance.
func TestDistinctTokens(t *testing.T) {
	s := startServer(t, ec2test.Options{})
	spec := testSpec("again")
	first, err := openDriver(t, serverConfig(s)).Create(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	d := openDriver(t, serverConfig(s))
	if err := d.Delete(context.Background(), first.ID); err != nil {
		t.Fatal(err)
	}
	second, err := d.Create(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if second.ID == first.ID || len(s.Live()) != 1 {
		t.Errorf("re-created VM is %s (first %s); live %+v; want a new instance, alone", second.ID, first.ID, s.Live())
	}
}

// throttleSpec is a fleet of n on the server.
func throttleSpec(s *ec2test.Server, n int) string {
	return fmt.Sprintf(`
provider "ec2" "aws" {
  endpoint      = %q
  poll_interval = "20ms"
}
template "ubuntu" {
  ec2 { ami = %q }
}
fleet "web" {
  provider  = provider.ec2.aws
  count     = %d
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
  disk_gb   = 10
}
`, s.URL, ec2test.ImageX86, n)
}

// TestThrottledApply: the server answers every call RequestLimitExceeded
// for 1.5 s from the start of an apply; the SDK's retryer waits it out
// and the apply makes every VM, once.
func TestThrottledApply(t *testing.T) {
	s := startServer(t, ec2test.Options{})
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, throttleSpec(s, 5))
	s.Throttle(1500 * time.Millisecond)
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply under throttling")
	if s.Throttled() == 0 {
		t.Fatal("no call was throttled: the test proves nothing")
	}
	if n := len(s.Live()); n != 5 {
		t.Errorf("the server runs %d instances, want 5", n)
	}
	nova.NoChanges(t, dir, "the throttled apply")
}

// TestTypeChangedOutside: an instance reports the size it was asked for
// while it runs the type chosen for it; once its type is changed behind
// NovaCron's back, it reports the new type's, from the table or (for a
// type the table lacks) from DescribeInstanceTypes.
func TestTypeChangedOutside(t *testing.T) {
	s := startServer(t, ec2test.Options{})
	d := openDriver(t, serverConfig(s))
	spec := testSpec("drift")
	spec.MemoryMiB = 3072
	vm, err := d.Create(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		itype string
		cpu   int
		mib   int64
	}{{"", 2, 3072}, {"m6i.large", 2, 8192}, {"z1d.large", 2, 16384}} {
		if step.itype != "" {
			if err := s.SetType(vm.ID, step.itype); err != nil {
				t.Fatal(err)
			}
		}
		inv, err := d.Inventory(context.Background())
		if err != nil || len(inv.VMs) != 1 {
			t.Fatalf("Inventory: %+v, %v", inv, err)
		}
		if got := inv.VMs[0]; got.CPU != step.cpu || got.MemoryMiB != step.mib {
			t.Errorf("type %q: %d vCPU, %d MiB; want %d, %d", step.itype, got.CPU, got.MemoryMiB, step.cpu, step.mib)
		}
	}
}
