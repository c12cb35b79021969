package estate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

func apiVM(name string) estate.VMRequest {
	return estate.VMRequest{Name: name, Provider: "sim.lab", Template: "ubuntu-22.04", CPU: 2, MemoryGB: 4, DiskGB: 20, Tags: map[string]string{"team": "a${b}"}}
}

// A VM created through the API is a vm block of the API file, applied;
// its power and host are changed through the block; deleting it removes
// the block and the VM.
func TestAPIVMLifecycle(t *testing.T) {
	root := newRoot(t)
	e := open(t, root, nil)
	ctx := context.Background()
	r, err := e.CreateVM(ctx, "carol", apiVM("api-1"))
	if err != nil {
		t.Fatal(err)
	}
	if done := wait(t, e, r.ID, estate.RunSucceeded); done.Summary["create"] != 1 || done.Operation != "create" {
		t.Errorf("create run: %+v", done)
	}
	got := vm(t, e, "cloud:vm.api-1")
	if got.ManagedBy != "api" || got.Power != "running" || got.CPU != 2 {
		t.Errorf("created VM: %+v", got)
	}
	file, err := os.ReadFile(filepath.Join(root, "cloud", estate.APISpecFile))
	if err != nil || !strings.HasPrefix(string(file), "# Written by nova-plan serve") || !strings.Contains(string(file), `vm "api-1"`) {
		t.Errorf("API file: %s, %v", file, err)
	}
	if _, err := e.CreateVM(ctx, "carol", apiVM("api-1")); !isConflict(err, "vm.api-1 exists already") {
		t.Errorf("second create: %v", err)
	}
	r, err = e.Act(ctx, "carol", "cloud:vm.api-1", estate.ActionRequest{Action: "stop"})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	if p := vm(t, e, "cloud:vm.api-1").Power; p != "stopped" {
		t.Errorf("after stop: %s", p)
	}
	target := "hv-01"
	if vm(t, e, "cloud:vm.api-1").Host == target {
		target = "hv-02"
	}
	r, err = e.Act(ctx, "carol", "cloud:vm.api-1", estate.ActionRequest{Action: "migrate", TargetHost: target})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	if h := vm(t, e, "cloud:vm.api-1").Host; h != target {
		t.Errorf("after migrate to %s: on %s", target, h)
	}
	r, err = e.DeleteVM(ctx, "carol", "cloud:vm.api-1")
	if err != nil {
		t.Fatal(err)
	}
	if done := wait(t, e, r.ID, estate.RunSucceeded); done.Summary["delete"] != 1 {
		t.Errorf("delete run: %+v", done)
	}
	if _, err := e.GetVM(ctx, "cloud:vm.api-1"); !errors.Is(err, estate.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
}

// Bad VM requests are refused and leave the API file as it was; a VM a
// spec owns is not the API's to delete.
func TestAPIVMRefused(t *testing.T) {
	root := newRoot(t)
	e := open(t, root, nil)
	ctx := context.Background()
	r, err := e.CreateVM(ctx, "carol", apiVM("keep"))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	path := filepath.Join(root, "cloud", estate.APISpecFile)
	before, _ := os.ReadFile(path)
	bad := func(f func(*estate.VMRequest)) estate.VMRequest {
		r := apiVM("x")
		f(&r)
		return r
	}
	tests := []struct {
		name string
		r    estate.VMRequest
		want string
	}{
		{"bad name", bad(func(r *estate.VMRequest) { r.Name = "../x" }), "a VM name is a letter"},
		{"bad provider", bad(func(r *estate.VMRequest) { r.Provider = "sim" }), "TYPE.NAME"},
		{"no cpu", bad(func(r *estate.VMRequest) { r.CPU = 0 }), "cpu must be at least 1"},
		{"bad power", bad(func(r *estate.VMRequest) { r.Power = "paused" }), "power must be"},
		{"unknown template", bad(func(r *estate.VMRequest) { r.Template = "debian" }), "debian"},
		{"unknown provider", bad(func(r *estate.VMRequest) { r.Provider = "sim.other" }), "other"},
		{"unknown host", bad(func(r *estate.VMRequest) { r.Host = "hv-77" }), `has no host "hv-77"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.CreateVM(ctx, "carol", tt.r)
			var inv *estate.InvalidError
			if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CreateVM: %v, want an *InvalidError saying %q", err, tt.want)
			}
		})
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("the API file changed:\n%s", after)
	}
	if _, err := e.Act(ctx, "carol", "cloud:vm.keep", estate.ActionRequest{Action: "migrate", TargetHost: "hv-77"}); err == nil || !strings.Contains(err.Error(), `has no host "hv-77"`) {
		t.Errorf("migrate of an API VM to no such host: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("the API file changed:\n%s", after)
	}
	// A VM too large for any host: the spec loads, the plan cannot place
	// it, the run fails and the block is taken out again.
	r, err = e.CreateVM(ctx, "carol", bad(func(r *estate.VMRequest) { r.CPU = 64 }))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunFailed)
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("after a failed plan the API file is:\n%s\nwant:\n%s", after, before)
	}
	e2 := applied(t, nil)
	if _, err := e2.DeleteVM(ctx, "carol", "quickstart:fleet.web[0]"); !isConflict(err, "fleet.web[0] is managed by main.nova.hcl:39") {
		t.Errorf("DeleteVM of a spec VM: %v", err)
	}
}

func isConflict(err error, want string) bool {
	var c *estate.ConflictError
	return errors.As(err, &c) && strings.Contains(err.Error(), want)
}
