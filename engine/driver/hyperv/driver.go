package hyperv

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/novacron/novacron/engine/driver"
)

var (
	_ driver.Driver          = (*Driver)(nil)
	_ driver.IDCanonicalizer = (*Driver)(nil)
	_ driver.CreateChecker   = (*Driver)(nil)
)

// Driver is an open Hyper-V provider: a WinRM endpoint and the hosts it
// manages. It keeps no session (each script runs in a shell of its own)
// and is safe for concurrent use.
type Driver struct {
	pricer driver.CorePricer // cost_per_core_hour, cost_per_gib_hour
	name   string
	cfg    config
	conn   *conn
	hosts  []string // as the settings name them, or the endpoint's name
	caps   driver.Capabilities

	mu        sync.Mutex
	templates map[string]int64 // template VHDX sizes by path
}

// Open connects to the endpoint and checks that every host answers and
// has the switch the settings name; each failure names its setting.
func Open(ctx context.Context, req driver.OpenRequest) (*Driver, error) {
	cfg, err := resolveConfig(req.Config)
	if err != nil {
		return nil, err
	}
	c, err := newConn(cfg)
	if err != nil {
		return nil, err
	}
	d := &Driver{pricer: driver.CorePricerOf(req.Config), name: req.Name, cfg: cfg, conn: c, templates: map[string]int64{}}
	if err := d.check(ctx); err != nil {
		return nil, err
	}
	d.caps = capabilities(len(d.hosts), cfg.memoryHot)
	return d, nil
}

// checkResult is what the check script reports of each host.
type checkResult struct {
	Hosts []struct {
		Name     string   `json:"name"`
		Switches []string `json:"switches"`
	} `json:"hosts"`
}

// check runs the check script: every host answers Get-VMHost and has the
// switch. With no hosts setting, the endpoint's own name is the host.
func (d *Driver) check(ctx context.Context) error {
	var res checkResult
	if err := d.run(ctx, scriptCheck, "checking the Hyper-V hosts", map[string]any{"hosts": d.cfg.hosts}, &res); err != nil {
		return hostHint(err)
	}
	for _, h := range res.Hosts {
		d.hosts = append(d.hosts, h.Name)
		if d.cfg.vswitch != "" && !slices.Contains(h.Switches, d.cfg.vswitch) {
			return fmt.Errorf("switch %q not found on Hyper-V host %s: set switch to one of %s", d.cfg.vswitch, h.Name, listOr(h.Switches, "(the host has no virtual switch)"))
		}
	}
	if len(d.hosts) == 0 {
		return fmt.Errorf("the endpoint %s reported no Hyper-V host", d.conn.url)
	}
	return nil
}

// hostHint adds to a failed Get-VMHost which setting names the host.
func hostHint(err error) error {
	if strings.Contains(err.Error(), "Get-VMHost -ComputerName") && driver.KindOf(err) != driver.KindTransient {
		return fmt.Errorf("%w (check hosts: each must be a Hyper-V host the endpoint reaches with -ComputerName)", err)
	}
	return err
}

func listOr(names []string, none string) string {
	if len(names) == 0 {
		return none
	}
	return strings.Join(names, ", ")
}

// capabilities: Hyper-V changes a VM's processor count only while it is
// off; memory grows on a running generation 2 VM only when the guest
// takes runtime resize, which NovaCron cannot tell, so only when
// memory_hot_resize says so; a Gen2 VM's SCSI VHDX grows online; Move-VM
// live-migrates a running VM between hosts.
func capabilities(hosts int, memoryHot bool) driver.Capabilities {
	return driver.Capabilities{
		HotAddMemory:         memoryHot,
		OnlineDiskGrow:       true,
		Migrate:              hosts > 1,
		LiveMigrate:          hosts > 1,
		StoppedUseNoCapacity: true,
		MaxParallel:          10, // WinRM's MaxShellsPerUser defaults to 30
	}
}

// Capabilities reports what the provider can change without a restart.
func (d *Driver) Capabilities() driver.Capabilities { return d.caps }

// Close releases the transport's idle connections.
func (d *Driver) Close() error {
	d.conn.base.CloseIdleConnections()
	return nil
}

// inventoryResult is what the inventory script reports.
type inventoryResult struct {
	Hosts []hostRec `json:"hosts"`
	VMs   []vmRec   `json:"vms"`
}

// Inventory lists every VM and host in one script: Get-VMHost and Get-VM
// (and one Get-VHD of every disk) per host.
func (d *Driver) Inventory(ctx context.Context) (driver.Inventory, error) {
	var res inventoryResult
	if err := d.run(ctx, scriptInventory, "listing the VMs of the Hyper-V hosts", map[string]any{"hosts": d.hosts}, &res); err != nil {
		return driver.Inventory{}, err
	}
	inv := driver.Inventory{VMs: make([]driver.VM, 0, len(res.VMs))}
	for _, h := range res.Hosts {
		inv.Hosts = append(inv.Hosts, driver.Host{Name: h.Name, CPU: int(float64(h.CPU) * d.cfg.cpuRatio), MemoryMiB: int64(float64(h.Mem/mib) * d.cfg.memoryRatio)})
	}
	for _, r := range res.VMs {
		inv.VMs = append(inv.VMs, r.vm())
	}
	return inv, nil
}

// find reads one VM by its id on every host; nil when no host has it.
func (d *Driver) find(ctx context.Context, id string) (*vmRec, error) {
	var res inventoryResult
	if err := d.run(ctx, scriptInventory, "reading VM "+id, map[string]any{"hosts": d.hosts, "id": id}, &res); err != nil {
		return nil, err
	}
	if len(res.VMs) == 0 {
		return nil, nil
	}
	return &res.VMs[0], nil
}

// fetch is find for Update and Migrate: the id is checked, and a VM no
// host has is not found.
func (d *Driver) fetch(ctx context.Context, id string) (*vmRec, error) {
	ok, err := d.checkID(id)
	if err != nil {
		return nil, err
	}
	var r *vmRec
	if ok {
		if r, err = d.find(ctx, id); err != nil {
			return nil, err
		}
	}
	if r == nil {
		return nil, driver.Errorf(driver.KindNotFound, "no Hyper-V host of provider %q has a VM with id %q", d.name, id)
	}
	return r, nil
}

// knownHost reports whether name is one of the provider's hosts, spelled
// as the hosts setting (or the endpoint) names it.
func (d *Driver) knownHost(name string) bool { return slices.Contains(d.hosts, name) }
