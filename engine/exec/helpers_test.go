package exec_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// lineage is the state lineage every test change is marked with.
const lineage = "exec-test-lineage"

// image is the template every test VM is made from.
var image = driver.TemplateRef{Name: "img", Config: driver.Config{"image": "ubuntu"}}

// simConfig is a sim provider block with room for thousands of small VMs;
// extra settings (latency, fail_rate, seed, …) override it.
func simConfig(extra driver.Config) driver.Config {
	cfg := driver.Config{"hosts": int64(8), "host_cpu": int64(2048), "host_memory_gb": float64(2048)}
	for k, v := range extra {
		cfg[k] = v
	}
	return cfg
}

// openSim opens a fresh simulated provider, closed when the test ends.
func openSim(t testing.TB, name string, cfg driver.Config) *sim.Driver {
	t.Helper()
	return openSimAt(t, t.TempDir(), name, cfg)
}

// openSimAt opens the simulated provider kept in dir.
func openSimAt(t testing.TB, dir, name string, cfg driver.Config) *sim.Driver {
	t.Helper()
	d, err := sim.Open(context.Background(), driver.OpenRequest{Name: name, DataDir: dir, Config: simConfig(cfg)})
	if err != nil {
		t.Fatalf("opening sim %s: %v", name, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// attrs are the attributes of a small test VM.
func attrs(provider, name string) *plan.Attrs {
	return &plan.Attrs{
		Provider: provider, Name: name, CPU: 1, MemoryMiB: 512, DiskGB: 10,
		Power: driver.PowerRunning, Template: image.ID(), TemplateName: image.Name,
	}
}

// createChange is the change a plan makes for a new VM at fleet[i].
func createChange(provider, fleet string, i int) *plan.Change {
	addr := fmt.Sprintf("%s[%d]", fleet, i)
	return &plan.Change{
		Address: addr, Fleet: fleet, Action: plan.Create,
		After:   attrs(provider, fmt.Sprintf("%s-%d", fleet[len("fleet."):], i)),
		Reasons: []string{"not found"},
		Marker:  &driver.Marker{Address: addr, Lineage: lineage, SpecHash: "spec-1"},
		// Template is what plan.Bind or plan.Diff fill in.
		Template: image,
	}
}

// creates returns n create changes for fleet on provider.
func creates(provider, fleet string, n int) []*plan.Change {
	out := make([]*plan.Change, n)
	for i := range out {
		out[i] = createChange(provider, fleet, i)
	}
	return out
}

// existing creates the VM of a create change directly through the driver,
// as an earlier apply would have, and returns it.
func existing(t *testing.T, d driver.Driver, c *plan.Change) driver.VM {
	t.Helper()
	a := c.After
	vm, err := d.Create(context.Background(), driver.VMSpec{
		Name: a.Name, Host: a.Host, CPU: a.CPU, MemoryMiB: a.MemoryMiB, DiskGB: a.DiskGB,
		Power: a.Power, Template: image, Marker: *c.Marker,
	})
	if err != nil {
		t.Fatalf("creating %s: %v", c.Address, err)
	}
	return vm
}

// updateChange changes the CPU count of an existing VM in place.
func updateChange(c *plan.Change, vm driver.VM, cpu, batch int) *plan.Change {
	before := c.After.Clone()
	before.Host = vm.Host
	after := before.Clone()
	after.CPU = cpu
	return &plan.Change{
		Address: c.Address, Fleet: c.Fleet, Action: plan.Update, ID: vm.ID,
		Before: before, After: after, Reasons: []string{"cpu changes"}, Batch: batch,
	}
}

// graph builds the plan of changes and orders it.
func graph(t testing.TB, deps map[string][]string, changes ...*plan.Change) (*plan.Plan, *plan.Graph) {
	t.Helper()
	p := &plan.Plan{FormatVersion: plan.FormatVersion, Lineage: lineage, Changes: changes, FleetDeps: deps}
	g, err := plan.BuildGraph(p)
	if err != nil {
		t.Fatalf("BuildGraph: %v", err)
	}
	return p, g
}

// eventLog collects events and notices calls that overlap. It takes no
// lock on purpose: the executor promises one call at a time, and the race
// detector and the inside counter both catch it breaking that promise.
type eventLog struct {
	inside  atomic.Int32
	overlap atomic.Bool
	events  []exec.Event
	// after, if set, runs inside the callback after the event is logged.
	after func(exec.Event)
}

func (l *eventLog) record(ev exec.Event) {
	if l.inside.Add(1) > 1 {
		l.overlap.Store(true)
	}
	l.events = append(l.events, ev)
	runtime.Gosched() // widen the window an overlapping call would hit
	if l.after != nil {
		l.after(ev)
	}
	l.inside.Add(-1)
}

// count returns how many events of kind k were logged.
func (l *eventLog) count(k exec.EventKind) int {
	n := 0
	for _, ev := range l.events {
		if ev.Kind == k {
			n++
		}
	}
	return n
}

// maxRunning replays the log and returns, per key of the change, the most
// changes that were started and not yet finished at one time.
func (l *eventLog) maxRunning(key func(*plan.Change) string) map[string]int {
	running, peak := map[string]int{}, map[string]int{}
	for _, ev := range l.events {
		k := key(ev.Change)
		switch ev.Kind {
		case exec.EventStarted:
			running[k]++
			peak[k] = max(peak[k], running[k])
		case exec.EventSucceeded, exec.EventFailed:
			running[k]--
		}
	}
	return peak
}

// run is an executor wired to real drivers and a real state writer over
// the local store.
type run struct {
	ex    *exec.Executor
	w     *state.Writer
	store *local.Store
	log   *eventLog
}

func newRun(t testing.TB, drivers map[string]driver.Driver, opts exec.Options) *run {
	t.Helper()
	store := local.New(t.TempDir())
	w := state.NewWriter(store, state.New(lineage))
	t.Cleanup(func() { w.Close(context.Background()) })
	r := &run{w: w, store: store, log: &eventLog{}}
	r.ex = &exec.Executor{Drivers: drivers, Recorder: w, Events: r.log.record, Options: opts}
	return r
}

// apply runs the plan and then closes the writer, so the store holds
// everything the apply recorded.
func (r *run) apply(t testing.TB, ctx context.Context, stop <-chan struct{}, p *plan.Plan, g *plan.Graph) *exec.Result {
	t.Helper()
	res := r.ex.Apply(ctx, stop, p, g)
	cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.w.Close(cctx); err != nil {
		t.Fatalf("closing the state writer: %v", err)
	}
	if r.log.overlap.Load() {
		t.Error("Events was called concurrently")
	}
	return res
}

// saved reads back the state the writer persisted.
func (r *run) saved(t testing.TB) *state.State {
	t.Helper()
	st, err := r.store.Read(context.Background())
	if err != nil || st == nil {
		t.Fatalf("reading the saved state: %v (state %v)", err, st)
	}
	return st
}

// statuses maps each change's address to its outcome status.
func statuses(p *plan.Plan, res *exec.Result) map[string]exec.Status {
	out := make(map[string]exec.Status, len(p.Changes))
	for i, c := range p.Changes {
		out[c.Address] = res.Outcomes[i].Status
	}
	return out
}

// inventory returns the VMs a driver reports, by name; it fails the test
// if a name appears twice.
func inventory(t testing.TB, d driver.Driver) map[string]driver.VM {
	t.Helper()
	inv, err := d.Inventory(context.Background())
	if err != nil {
		t.Fatalf("Inventory: %v", err)
	}
	out := make(map[string]driver.VM, len(inv.VMs))
	for _, vm := range inv.VMs {
		if prev, dup := out[vm.Name]; dup {
			t.Errorf("VM name %s exists twice: %s and %s", vm.Name, prev.ID, vm.ID)
		}
		out[vm.Name] = vm
	}
	return out
}
