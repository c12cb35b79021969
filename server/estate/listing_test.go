package estate_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/server/estate"
)

// The listing filters and pages the last inventory read.
func TestVMs(t *testing.T) {
	e := applied(t, nil)
	ctx := context.Background()
	stop, err := e.Act(ctx, "alice", "quickstart:vm.db-01", estate.ActionRequest{Action: "restart"})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, stop.ID, estate.RunSucceeded)
	all, total, err := e.VMs(ctx, estate.Filter{})
	if err != nil || total != 5 {
		t.Fatalf("all: %d, %v", total, err)
	}
	host0 := all[0].Host
	onHost0 := 0
	for _, v := range all {
		if v.Host == host0 {
			onHost0++
		}
	}
	tests := []struct {
		name  string
		f     estate.Filter
		ids   []string // nil: check only total
		total int
	}{
		{"workspace", estate.Filter{Workspace: "quickstart"}, nil, 5},
		{"other workspace", estate.Filter{Workspace: "cloud"}, nil, 0},
		{"provider", estate.Filter{Provider: "sim.lab"}, nil, 5},
		{"status running", estate.Filter{Status: "running"}, nil, 5},
		{"status stopped", estate.Filter{Status: "stopped"}, nil, 0},
		{"fleet by name", estate.Filter{Fleet: "web"}, nil, 4},
		{"fleet by address", estate.Filter{Fleet: "fleet.web"}, nil, 4},
		{"vm by name", estate.Filter{Fleet: "db-01"}, []string{"quickstart:vm.db-01"}, 1},
		{"vm by address", estate.Filter{Fleet: "vm.db-01", Workspace: "quickstart"}, []string{"quickstart:vm.db-01"}, 1},
		{"host", estate.Filter{Host: host0}, nil, onHost0},
		{"unknown host", estate.Filter{Host: "nowhere"}, []string{}, 0},
		{"page", estate.Filter{Fleet: "web", Limit: 2, Offset: 1}, []string{"quickstart:fleet.web[1]", "quickstart:fleet.web[2]"}, 4},
		{"past the end", estate.Filter{Offset: 10}, []string{}, 5},
		{"limit above the maximum", estate.Filter{Limit: 5000}, nil, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vms, total, err := e.VMs(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if total != tt.total {
				t.Errorf("total %d, want %d", total, tt.total)
			}
			if tt.ids == nil {
				return
			}
			ids := []string{}
			for _, v := range vms {
				ids = append(ids, v.ID)
			}
			if d := cmp.Diff(tt.ids, ids); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}
		})
	}
	for _, f := range []estate.Filter{{Status: "paused"}, {Limit: -1}, {Offset: -3}} {
		var inv *estate.InvalidError
		if _, _, err := e.VMs(ctx, f); !errors.As(err, &inv) {
			t.Errorf("VMs(%+v): %v, want an *InvalidError", f, err)
		}
	}
	if _, err := e.GetVM(ctx, "quickstart:fleet.web[9]"); !errors.Is(err, estate.ErrNotFound) {
		t.Errorf("GetVM of no VM: %v", err)
	}
}
