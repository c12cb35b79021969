package vsphere

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/vmware/govmomi/vim25/soap"

	"github.com/novacron/novacron/internal/vcsim"
)

// countingTripper counts the SOAP calls a client makes.
type countingTripper struct {
	soap.RoundTripper
	calls atomic.Int64
}

func (c *countingTripper) RoundTrip(ctx context.Context, req, res soap.HasFault) error {
	c.calls.Add(1)
	return c.RoundTripper.RoundTrip(ctx, req, res)
}

// utilizationCalls is how many SOAP calls one Utilization makes.
func utilizationCalls(t *testing.T, d *Driver) int64 {
	t.Helper()
	rt := &countingTripper{RoundTripper: d.c.Client.RoundTripper}
	d.c.Client.RoundTripper = rt
	defer func() { d.c.Client.RoundTripper = rt.RoundTripper }()
	if _, err := d.Utilization(context.Background()); err != nil {
		t.Fatalf("Utilization: %v", err)
	}
	return rt.calls.Load()
}

// TestUtilizationIsBulk: Utilization makes the same few calls (two
// container views made and destroyed, one retrieve) however many VMs and
// hosts vCenter has: never a call per VM or per host.
func TestUtilizationIsBulk(t *testing.T) {
	const want = 5
	for _, o := range []vcsim.Options{{Hosts: 2}, {Hosts: 5, VMs: 40}} {
		s := startSim(t, o)
		d := openDriver(t, simConfig(s))
		if got := utilizationCalls(t, d); got != want {
			t.Errorf("%d hosts, %d VMs: Utilization made %d SOAP calls, want %d", o.Hosts, o.VMs, got, want)
		}
	}
}

// BenchmarkUtilization is Driver.Utilization over 2,000 VMs on 8 hosts,
// in process: go test -run '^$' -bench Utilization -benchmem ./engine/driver/vsphere/
func BenchmarkUtilization(b *testing.B) {
	s := startSim(b, vcsim.Options{Hosts: bulkHosts, VMs: bulkUnmanaged})
	d, err := Open(context.Background(), driverRequest(s))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	for b.Loop() {
		if _, err := d.Utilization(context.Background()); err != nil {
			b.Fatalf("Utilization: %v", err)
		}
	}
}
