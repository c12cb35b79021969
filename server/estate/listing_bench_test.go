package estate

import (
	"context"
	"fmt"
	"testing"

	"github.com/novacron/novacron/engine/jsonformat"
)

// benchEstate is an estate whose listing holds n VMs over 4 workspaces,
// 2 providers, 50 hosts, a third of them stopped.
func benchEstate(n int) *Estate {
	e := &Estate{}
	l := &listing{byID: map[string]int{}, index: map[filterKey][]int32{}}
	for i := range n {
		ws := fmt.Sprintf("ws%d", i%4)
		power := "running"
		if i%3 == 0 {
			power = "stopped"
		}
		addr := fmt.Sprintf("fleet.web%d[%d]", i%10, i)
		l.add(VM{ID: ws + ":" + addr, Workspace: ws, ManagedBy: "main.nova.hcl:1", InventoryVM: jsonformat.InventoryVM{
			Provider: fmt.Sprintf("sim.p%d", i%2), ID: fmt.Sprintf("vm-%06d", i), Name: fmt.Sprintf("web-%d", i),
			Host: fmt.Sprintf("hv-%02d", i%50), CPU: 2, MemoryGB: 4, DiskGB: 40, Power: power, Address: addr,
		}})
	}
	e.list.Store(l)
	return e
}

// BenchmarkVMs lists pages of 10,000 VMs from many goroutines at once, as
// the API's load test does: go test -bench VMs -benchmem ./server/estate
func BenchmarkVMs(b *testing.B) {
	e := benchEstate(10_000)
	for _, bc := range []struct {
		name string
		f    Filter
	}{
		{"all", Filter{}},
		{"running_limit20", Filter{Status: "running", Limit: 20}},
		{"host_and_workspace", Filter{Host: "hv-07", Workspace: "ws3"}},
		{"fleet_deep_page", Filter{Fleet: "web3", Offset: 900, Limit: 100}},
		{"max_page", Filter{Limit: MaxLimit}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, _, err := e.VMs(context.Background(), bc.f); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
