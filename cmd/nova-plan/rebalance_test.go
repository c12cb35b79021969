package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rebalanceSpec is a sim of three 16-core hosts with a pinned vm.db and a
// fleet of n VMs; pins adds host pins to the fleet's first VMs, so that
// they start where a test wants them.
func rebalanceSpec(n int, pins map[int]string, spread bool) string {
	return rebalanceSpecOn(3, n, pins, spread)
}

func rebalanceSpecOn(hosts, n int, pins map[int]string, spread bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `
provider "sim" "lab" {
  hosts          = %d
  host_cpu       = 16
  host_memory_gb = 64
}
template "img" {
  sim { image = "ubuntu-22.04" }
}
vm "db" {
  provider  = provider.sim.lab
  template  = template.img
  cpu       = 4
  memory_gb = 8
  host      = "hv-01"
}
`, hosts)
	for i := range n {
		host := ""
		if h := pins[i]; h != "" {
			host = fmt.Sprintf("\n  host      = %q", h)
		}
		fmt.Fprintf(&b, "vm \"app%d\" {\n  provider  = provider.sim.lab\n  template  = template.img\n  cpu       = 2\n  memory_gb = 4%s\n}\n", i, host)
	}
	if spread {
		b.WriteString("fleet \"web\" {\n  provider = provider.sim.lab\n  count = 2\n  template = template.img\n  cpu = 2\n  memory_gb = 4\n  placement { spread_by = \"host\" }\n  rollout { batch_size = 1 }\n}\n")
	}
	return b.String()
}

// writeUse writes a utilization file of use per address: cores and MiB.
func writeUse(t *testing.T, dir string, use map[string][2]float64) string {
	t.Helper()
	vms := map[string]map[string]float64{}
	for addr, u := range use {
		vms[addr] = map[string]float64{"cpu": u[0], "memory_mib": u[1]}
	}
	data, err := json.MarshalIndent(map[string]any{"format_version": 1, "vms": vms}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "use.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type rebalanced struct {
	moves map[string]string // address → host
	bound int
	text  string
}

// rebalanceRun runs rebalance in text and -json with args and returns the
// migrations and the bound it reports.
func rebalanceRun(t *testing.T, dir string, args ...string) rebalanced {
	t.Helper()
	text := nova(t, dir, append([]string{"rebalance"}, args...)...).Must(t, 0, "rebalance")
	m := regexp.MustCompile(`lower bound (\d+) moves`).FindStringSubmatch(text.Stdout)
	if m == nil {
		t.Fatalf("rebalance does not report its lower bound:\n%s", text.Stdout)
	}
	r := rebalanced{moves: map[string]string{}, text: text.Stdout}
	r.bound, _ = strconv.Atoi(m[1])
	out := nova(t, dir, append([]string{"rebalance", "-json"}, args...)...).Must(t, 0, "rebalance -json")
	var p testPlan
	if err := json.Unmarshal([]byte(out.Stdout), &p); err != nil {
		t.Fatalf("rebalance -json printed invalid JSON: %v\n%s", err, out.Stdout)
	}
	for _, c := range p.Changes {
		if c.Action != "migrate" || !c.Live {
			t.Fatalf("rebalance planned %s %s (live %v); want only live migrations", c.Address, c.Action, c.Live)
		}
		r.moves[c.Address] = c.After.Host
	}
	var rep struct {
		Rebalance *struct {
			Moves, Bound, Budget int
			HotHosts             []struct{ Provider, Host string } `json:"hot_hosts"`
		}
	}
	if err := json.Unmarshal([]byte(out.Stdout), &rep); err != nil || rep.Rebalance == nil {
		t.Fatalf("rebalance -json has no rebalance object (%v):\n%s", err, out.Stdout)
	}
	if j := rep.Rebalance; j.Bound != r.bound || j.Moves != len(p.Changes) || j.Budget < j.Moves ||
		len(j.HotHosts) != strings.Count(text.Stdout, "Hot host ") {
		t.Fatalf("rebalance -json reports %+v; the text: bound %d, %d hot hosts; %d changes\n%s", *j, r.bound, strings.Count(text.Stdout, "Hot host "), len(p.Changes), out.Stdout)
	}
	return r
}

// hostUse sums the use of the VMs on each host, from the inventory.
func hostUse(t *testing.T, dir string, use map[string][2]float64) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, vm := range inventory(t, dir).VMs {
		out[vm.Host] += use[vm.Address][0]
	}
	return out
}

func TestRebalanceClearsHotHostWithinBound(t *testing.T) {
	// hv-01 holds vm.db and app0–app5: 16 of 16 cores allocated, 14.3
	// used (89 %); one VM must leave.
	dir := newDir(t, rebalanceSpec(9, map[int]string{0: "hv-01", 1: "hv-01", 2: "hv-01", 3: "hv-01", 4: "hv-01", 5: "hv-01", 6: "hv-02", 7: "hv-02", 8: "hv-02"}, false))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, rebalanceSpec(9, nil, false)) // unpinned: they may move now
	use := map[string][2]float64{"vm.db": {3.5, 6000}}
	for i := range 9 {
		use[fmt.Sprintf("vm.app%d", i)] = [2]float64{map[bool]float64{true: 1.8, false: 0.5}[i < 6], 2048}
	}
	file := writeUse(t, dir, use)
	r := rebalanceRun(t, dir, "-utilization", file)
	if r.bound != 1 || len(r.moves) < 1 || float64(len(r.moves)) > 1.2*float64(r.bound) {
		t.Fatalf("moves %v with bound %d; want within 1.2 × a bound of 1\n%s", r.moves, r.bound, r.text)
	}
	if !strings.Contains(r.text, "Hot host hv-01") {
		t.Errorf("rebalance does not name the hot host:\n%s", r.text)
	}
	nova(t, dir, "rebalance", "-utilization", file, "-out", "r.plan").Must(t, 0, "rebalance -out")
	nova(t, dir, "apply", "r.plan").Must(t, 0, "apply the rebalance plan")
	for host, cores := range hostUse(t, dir, use) {
		if cores > 0.8*16 {
			t.Errorf("%s still uses %.1f of 16 cores after the rebalance", host, cores)
		}
	}
	nova(t, dir, "rebalance", "-utilization", file, "-detailed-exitcode").Must(t, 0, "a second rebalance")
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the rebalance")
}

func TestRebalanceNeverMovesPinnedVMs(t *testing.T) {
	dir := newDir(t, rebalanceSpec(3, map[int]string{0: "hv-01", 1: "hv-01", 2: "hv-01"}, false))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	// 13.5 of 16 cores used: vm.db (pinned) is by far the busiest VM of
	// the hot host, app2 (pinned too) next; only app1 may move.
	use := map[string][2]float64{"vm.db": {8, 4096}, "vm.app0": {1, 1024}, "vm.app1": {2.5, 1024}, "vm.app2": {2, 1024}}
	writeSpec(t, dir, rebalanceSpec(3, map[int]string{0: "hv-01", 2: "hv-01"}, false)) // app1 unpinned
	r := rebalanceRun(t, dir, "-utilization", writeUse(t, dir, use))
	if len(r.moves) != 1 || r.moves["vm.app1"] == "" {
		t.Fatalf("moves %v; want app1 alone to move (db, app0 and app2 are pinned)\n%s", r.moves, r.text)
	}
	// With app1 pinned as well, nothing can clear the host.
	writeSpec(t, dir, rebalanceSpec(3, map[int]string{0: "hv-01", 1: "hv-01", 2: "hv-01"}, false))
	r = rebalanceRun(t, dir, "-utilization", writeUse(t, dir, use))
	if len(r.moves) != 0 || !strings.Contains(r.text, "its pinned VMs alone keep it above the threshold") {
		t.Fatalf("moves %v; want none, and the reason\n%s", r.moves, r.text)
	}
}

func TestRebalanceConsolidates(t *testing.T) {
	pins := map[int]string{0: "hv-02", 1: "hv-03"}
	dir := newDir(t, rebalanceSpec(2, pins, false))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, rebalanceSpec(2, nil, false))
	use := map[string][2]float64{"vm.db": {1, 4096}, "vm.app0": {0.5, 1024}, "vm.app1": {0.5, 1024}}
	file := writeUse(t, dir, use)
	// Three VMs: the default cap (10 %, at least 1) allows one move.
	r := rebalanceRun(t, dir, "-utilization", file, "-mode", "consolidate")
	if len(r.moves) != 1 {
		t.Fatalf("moves %v; want 1 under the default cap\n%s", r.moves, r.text)
	}
	nova(t, dir, "rebalance", "-utilization", file, "-mode", "consolidate", "-max-moves", "2", "-out", "c.plan").Must(t, 0, "rebalance -out")
	nova(t, dir, "apply", "c.plan").Must(t, 0, "apply the consolidation")
	hosts := map[string]int{}
	for _, vm := range inventory(t, dir).VMs {
		hosts[vm.Host]++
	}
	if len(hosts) != 1 || hosts["hv-01"] != 3 {
		t.Fatalf("VMs per host after consolidation: %v; want all three on hv-01 (vm.db is pinned there)", hosts)
	}
	nova(t, dir, "rebalance", "-utilization", file, "-mode", "consolidate", "-detailed-exitcode").Must(t, 0, "a second consolidation")
}

func TestRebalanceMoveCap(t *testing.T) {
	// 21 VMs on six hosts, threshold 70 %: hv-01 (vm.db and six apps,
	// 86 %) takes two moves to clear, hv-02 and hv-03 (six apps each,
	// 75 %) one each. The default cap is 10 % of 21 VMs: 2.
	pins := map[int]string{}
	for i := range 20 {
		pins[i] = []string{"hv-01", "hv-02", "hv-03", "hv-04"}[i/6]
	}
	dir := newDir(t, rebalanceSpecOn(6, 20, pins, false))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, rebalanceSpecOn(6, 20, nil, false))
	use := map[string][2]float64{"vm.db": {2.5, 4096}}
	for i := range 20 {
		use[fmt.Sprintf("vm.app%d", i)] = [2]float64{map[bool]float64{true: 2, false: 0.1}[i < 18], 1024}
	}
	use["vm.app0"] = [2]float64{1.2, 1024}
	file := writeUse(t, dir, use)
	cases := []struct {
		args        []string
		moves, hots int // moves, and hot hosts left as they are
	}{
		{nil, 2, 2},
		{[]string{"-max-moves", "1"}, 1, 2},
		{[]string{"-max-moves", "50%"}, 4, 0},
	}
	for _, c := range cases {
		r := rebalanceRun(t, dir, append([]string{"-utilization", file, "-threshold", "70"}, c.args...)...)
		left := strings.Count(r.text, "is left as it is")
		if len(r.moves) != c.moves || left != c.hots || float64(len(r.moves)) > 1.2*float64(r.bound) {
			t.Errorf("%v: %d moves (bound %d), %d hot hosts left; want %d moves, %d left\n%s", c.args, len(r.moves), r.bound, left, c.moves, c.hots, r.text)
		}
	}
}

func TestRebalanceKeepsSpread(t *testing.T) {
	// web[0] and web[1] spread over hv-01 and hv-02; hv-01 is hot and
	// web[0] its busiest movable VM: it may go to hv-03, never hv-02.
	dir := newDir(t, rebalanceSpec(0, nil, true))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	inv := inventory(t, dir)
	use := map[string][2]float64{}
	for _, vm := range inv.VMs {
		use[vm.Address] = [2]float64{0.5, 1024}
		if vm.Host == "hv-01" {
			use[vm.Address] = [2]float64{map[bool]float64{true: 3.9, false: 1.9}[vm.Address == "vm.db"], 1024}
		}
	}
	r := rebalanceRun(t, dir, "-utilization", writeUse(t, dir, use), "-threshold", "30")
	if len(r.moves) != 1 {
		t.Fatalf("moves %v; want one\n%s", r.moves, r.text)
	}
	for addr, to := range r.moves {
		for _, vm := range inv.VMs {
			if vm.Address != addr && strings.HasPrefix(vm.Address, "fleet.web") && strings.HasPrefix(addr, "fleet.web") && vm.Host == to {
				t.Errorf("%s moves to %s, next to %s of its spread fleet", addr, to, vm.Address)
			}
		}
	}
}

func TestRebalanceStalePlanRefused(t *testing.T) {
	dir := newDir(t, rebalanceSpec(6, map[int]string{0: "hv-01", 1: "hv-01", 2: "hv-01", 3: "hv-01", 4: "hv-01", 5: "hv-01"}, false))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, rebalanceSpec(6, nil, false))
	use := map[string][2]float64{"vm.db": {3.5, 4096}}
	for i := range 6 {
		use[fmt.Sprintf("vm.app%d", i)] = [2]float64{1.8, 1024}
	}
	file := writeUse(t, dir, use)
	nova(t, dir, "rebalance", "-utilization", file, "-out", "first.plan").Must(t, 0, "rebalance -out")
	nova(t, dir, "rebalance", "-utilization", file, "-out", "second.plan").Must(t, 0, "rebalance -out again")
	nova(t, dir, "apply", "second.plan").Must(t, 0, "apply the second plan")
	before := inventory(t, dir)
	r := nova(t, dir, "apply", "first.plan").Must(t, 1, "apply of a stale rebalance plan")
	if !strings.Contains(r.Stderr, "Saved plan is stale") {
		t.Errorf("the stale plan's error does not say so:\n%s", r.Stderr)
	}
	if after := inventory(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the refused plan moved VMs:\nbefore %v\nafter  %v", before, after)
	}
}

func TestRebalancePredicts(t *testing.T) {
	// hv-01 holds vm.db (1.5 cores) and app0–app5. Now (the newest
	// sample, a Monday 08:00) the apps idle at 0.5 core (hv-01 at 28 %); in
	// the four weeks before, they used 2 cores on Mondays from 09:00.
	// Current load sees nothing hot; the forecast of the next 4 hours sees
	// hv-01 at 84 %.
	pins := map[int]string{}
	for i := range 6 {
		pins[i] = "hv-01"
	}
	dir := newDir(t, rebalanceSpec(6, pins, false))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, rebalanceSpec(6, nil, false))
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC) // a Monday
	vms := map[string]any{}
	for _, addr := range []string{"vm.db", "vm.app0", "vm.app1", "vm.app2", "vm.app3", "vm.app4", "vm.app5"} {
		var samples []map[string]any
		for h := 4 * 7 * 24; h >= 0; h-- {
			at := now.Add(-time.Duration(h) * time.Hour)
			cpu := 0.5
			switch {
			case addr == "vm.db":
				cpu = 1.5
			case at.Weekday() == time.Monday && at.Hour() >= 9 && at.Hour() < 17:
				cpu = 2
			}
			samples = append(samples, map[string]any{"time": at, "cpu": cpu, "memory_mib": 1024})
		}
		vms[addr] = map[string]any{"samples": samples}
	}
	data, err := json.Marshal(map[string]any{"format_version": 1, "vms": vms})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "history.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := rebalanceRun(t, dir, "-utilization", file); len(r.moves) != 0 {
		t.Fatalf("on current load: moves %v; want none\n%s", r.moves, r.text)
	}
	r := rebalanceRun(t, dir, "-utilization", file, "-predict")
	if len(r.moves) != 1 || !strings.Contains(r.text, "Hot host hv-01") {
		t.Fatalf("on the forecast: moves %v; want one off hv-01\n%s", r.moves, r.text)
	}
	if r := rebalanceRun(t, dir, "-utilization", file, "-predict", "-horizon", "1"); len(r.moves) != 0 {
		t.Fatalf("on the forecast of 08:00–09:00 alone: moves %v; want none\n%s", r.moves, r.text)
	}
}

func TestRebalancePolicyChecked(t *testing.T) {
	dir := newDir(t, rebalanceSpec(6, map[int]string{0: "hv-01", 1: "hv-01", 2: "hv-01", 3: "hv-01", 4: "hv-01", 5: "hv-01"}, false))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, rebalanceSpec(6, nil, false))
	use := map[string][2]float64{"vm.db": {3.5, 4096}}
	for i := range 6 {
		use[fmt.Sprintf("vm.app%d", i)] = [2]float64{1.8, 1024}
	}
	file := writeUse(t, dir, use)
	writePolicy(t, filepath.Join(dir, "pol", "no_moves.rego"), `package novacron.no_moves

deny contains {"msg": msg, "address": c.address} if {
	some c in input.changes
	c.action == "migrate"
	msg := sprintf("%s: no migrations during the freeze", [c.address])
}
`)
	r := nova(t, dir, "rebalance", "-utilization", file, "-policy", "pol", "-out", "p.plan").Must(t, 1, "rebalance refused by a policy")
	if !strings.Contains(r.Stderr+r.Stdout, "no migrations during the freeze") || !strings.Contains(r.Stdout, "The plan was not saved") {
		t.Errorf("the policy's refusal is not shown:\nstdout:\n%s\nstderr:\n%s", r.Stdout, r.Stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.plan")); !os.IsNotExist(err) {
		t.Errorf("the refused plan was saved: %v", err)
	}
}
