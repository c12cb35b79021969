package dashboard

import (
	"cmp"
	"context"
	"net/http"
	"slices"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// rowsPerProvider is how many VMs the overview lists per provider; the
// workspace pages list the rest, with filters.
const rowsPerProvider = 50

// listPage is the page size the overview asks the listing for.
const listPage = 1000

type overviewView struct {
	Workspaces []estate.WorkspaceInfo
	Providers  []providerView
	Total      int
	Power      []count
}

// providerView is one provider's VMs: counts by power state and host, and
// the first rows.
type providerView struct {
	Name  string
	Total int
	Power []count
	Hosts []count
	VMs   []estate.VM
	More  int
}

type count struct {
	Name string
	N    int
}

// overview is /: the workspaces the principal may read, with their
// fleets, and their VMs by provider.
func (d *Dashboard) overview(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	all, err := d.est.Workspaces(r.Context())
	if err != nil {
		d.fail(w, r, p, err)
		return
	}
	var v overviewView
	var vms []estate.VM
	for _, ws := range all {
		if !p.Can(auth.Read, ws.Name) {
			continue
		}
		v.Workspaces = append(v.Workspaces, ws)
		rows, err := d.allVMs(r.Context(), ws.Name)
		if err != nil {
			d.fail(w, r, p, err)
			return
		}
		vms = append(vms, rows...)
	}
	v.Total = len(vms)
	v.Power = tally(vms, func(vm estate.VM) string { return vm.Power })
	v.Providers = byProvider(vms)
	d.render(w, http.StatusOK, "overview", p, "Overview", v)
}

// allVMs lists every VM of a workspace, a page at a time (the listing
// reads memory, not hypervisors; it may cap a page below listPage).
func (d *Dashboard) allVMs(ctx context.Context, ws string) ([]estate.VM, error) {
	var all []estate.VM
	for {
		rows, total, err := d.est.VMs(ctx, estate.Filter{Workspace: ws, Limit: listPage, Offset: len(all)})
		if err != nil {
			return nil, err
		}
		all = append(all, rows...)
		if len(rows) == 0 || len(all) >= total {
			return all, nil
		}
	}
}

func byProvider(vms []estate.VM) []providerView {
	groups := map[string][]estate.VM{}
	for _, vm := range vms {
		groups[vm.Provider] = append(groups[vm.Provider], vm)
	}
	var out []providerView
	for name, rows := range groups {
		pv := providerView{Name: name, Total: len(rows)}
		pv.Power = tally(rows, func(vm estate.VM) string { return vm.Power })
		pv.Hosts = tally(rows, func(vm estate.VM) string { return vm.Host })
		slices.SortFunc(rows, func(a, b estate.VM) int {
			return cmp.Or(cmp.Compare(a.Workspace, b.Workspace), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
		})
		if len(rows) > rowsPerProvider {
			pv.More = len(rows) - rowsPerProvider
			rows = rows[:rowsPerProvider]
		}
		pv.VMs = rows
		out = append(out, pv)
	}
	slices.SortFunc(out, func(a, b providerView) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// tally counts the VMs by key, in key order; an empty key is "—".
func tally(vms []estate.VM, key func(estate.VM) string) []count {
	n := map[string]int{}
	for _, vm := range vms {
		k := key(vm)
		if k == "" {
			k = "—"
		}
		n[k]++
	}
	out := make([]count, 0, len(n))
	for k, c := range n {
		out = append(out, count{Name: k, N: c})
	}
	slices.SortFunc(out, func(a, b count) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
