package dashboard

import (
	"cmp"
	"context"
	"maps"
	"net/http"
	"slices"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

const (
	// rowsPerProvider is how many VMs the overview lists per provider;
	// the workspace pages list the rest, with filters.
	rowsPerProvider = 50
	// listPage is the page size the overview asks the listing for.
	listPage = 1000
)

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
	t := newTallies()
	for _, ws := range all {
		if !p.Can(auth.Read, ws.Name) {
			continue
		}
		v.Workspaces = append(v.Workspaces, ws)
		if err := d.eachVM(r.Context(), ws.Name, t.add); err != nil {
			d.fail(w, r, p, err)
			return
		}
	}
	v.Total, v.Power, v.Providers = t.total, sorted(t.power), t.providers()
	d.render(w, http.StatusOK, "overview", p, "Overview", v)
}

// eachVM calls f with every VM of a workspace, reading the listing a
// page at a time (it reads memory, not hypervisors, and may cap a page
// below listPage), so the overview of ten thousand VMs never holds them
// all.
func (d *Dashboard) eachVM(ctx context.Context, ws string, f func(estate.VM)) error {
	for seen := 0; ; {
		rows, total, err := d.est.VMs(ctx, estate.Filter{Workspace: ws, Limit: listPage, Offset: seen})
		if err != nil {
			return err
		}
		for _, vm := range rows {
			f(vm)
		}
		seen += len(rows)
		if len(rows) == 0 || seen >= total {
			return nil
		}
	}
}

// tallies count VMs by power state, overall and per provider, and by
// host, and keep the first rows of each provider.
type tallies struct {
	total int
	power map[string]int
	prov  map[string]*provTally
}

type provTally struct {
	total        int
	power, hosts map[string]int
	rows         []estate.VM
}

func newTallies() *tallies {
	return &tallies{power: map[string]int{}, prov: map[string]*provTally{}}
}

func (t *tallies) add(vm estate.VM) {
	t.total++
	t.power[orDash(vm.Power)]++
	pt := t.prov[vm.Provider]
	if pt == nil {
		pt = &provTally{power: map[string]int{}, hosts: map[string]int{}}
		t.prov[vm.Provider] = pt
	}
	pt.total++
	pt.power[orDash(vm.Power)]++
	pt.hosts[orDash(vm.Host)]++
	if len(pt.rows) < rowsPerProvider {
		pt.rows = append(pt.rows, vm)
	}
}

// providers are the providers' views, by name; each lists its first rows
// (by workspace, then as the listing orders them) by workspace and name.
func (t *tallies) providers() []providerView {
	var out []providerView
	for _, name := range slices.Sorted(maps.Keys(t.prov)) {
		pt := t.prov[name]
		slices.SortStableFunc(pt.rows, func(a, b estate.VM) int {
			return cmp.Or(cmp.Compare(a.Workspace, b.Workspace), cmp.Compare(a.Name, b.Name))
		})
		out = append(out, providerView{
			Name: name, Total: pt.total, Power: sorted(pt.power), Hosts: sorted(pt.hosts),
			VMs: pt.rows, More: pt.total - len(pt.rows),
		})
	}
	return out
}

// sorted lists counts by name.
func sorted(m map[string]int) []count {
	out := make([]count, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, count{Name: k, N: m[k]})
	}
	return out
}
