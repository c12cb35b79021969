package plan_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

func TestActionText(t *testing.T) {
	for _, a := range plan.Actions {
		text, err := a.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back plan.Action
		if err := back.UnmarshalText(text); err != nil || back != a {
			t.Errorf("%s: UnmarshalText(%q) = %v, %v", a, text, back, err)
		}
	}
	var a plan.Action
	if err := a.UnmarshalText([]byte("upgrade")); err == nil {
		t.Errorf("UnmarshalText(upgrade) succeeded")
	}
	if got := plan.Action(42).String(); got != "Action(42)" {
		t.Errorf("String of an unknown action = %q", got)
	}
}

// TestDisruptive checks which changes leave a VM unavailable: the basis of
// max_unavailable.
func TestDisruptive(t *testing.T) {
	running, stopped := &plan.Attrs{Power: driver.PowerRunning}, &plan.Attrs{Power: driver.PowerStopped}
	tests := []struct {
		name   string
		change plan.Change
		want   bool
	}{
		{"create", plan.Change{Action: plan.Create, After: running}, false},
		{"adopt", plan.Change{Action: plan.Adopt, Before: running, After: running}, false},
		{"start", plan.Change{Action: plan.Start, Before: stopped, After: running}, false},
		{"stop", plan.Change{Action: plan.Stop, Before: running, After: stopped}, true},
		{"delete", plan.Change{Action: plan.Delete, Before: running}, true},
		{"update in place", plan.Change{Action: plan.Update, Before: running, After: running}, false},
		{"update with a restart", plan.Change{Action: plan.Update, Before: running, After: running, Restart: true}, true},
		{"update that stops", plan.Change{Action: plan.Update, Before: running, After: stopped}, true},
		{"update that starts", plan.Change{Action: plan.Update, Before: stopped, After: running}, false},
		{"replace", plan.Change{Action: plan.Replace, Before: running, After: running}, true},
		{"replace, create before destroy", plan.Change{Action: plan.Replace, Before: running, After: running, CreateBeforeDestroy: true}, false},
		{"cold migration", plan.Change{Action: plan.Migrate, Before: running, After: running}, true},
		{"live migration", plan.Change{Action: plan.Migrate, Before: running, After: running, Live: true}, false},
	}
	for _, tt := range tests {
		if got := tt.change.Disruptive(); got != tt.want {
			t.Errorf("%s: Disruptive = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	p := &plan.Plan{Changes: []*plan.Change{
		{Action: plan.Create}, {Action: plan.Create}, {Action: plan.Delete}, {Action: plan.Migrate},
	}}
	want := map[plan.Action]int{
		plan.Create: 2, plan.Update: 0, plan.Replace: 0, plan.Delete: 1,
		plan.Migrate: 1, plan.Start: 0, plan.Stop: 0, plan.Adopt: 0,
	}
	if diff := cmp.Diff(want, p.Summary()); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	if p.Empty() || !(&plan.Plan{}).Empty() {
		t.Errorf("Empty is wrong")
	}
	if c := (&plan.Change{Before: &plan.Attrs{Provider: "a"}}); c.Provider() != "a" {
		t.Errorf("a delete acts on its before provider; got %q", c.Provider())
	}
	if c := (&plan.Change{Before: &plan.Attrs{Provider: "a"}, After: &plan.Attrs{Provider: "b"}}); c.Provider() != "b" {
		t.Errorf("a move acts on its after provider; got %q", c.Provider())
	}
}
