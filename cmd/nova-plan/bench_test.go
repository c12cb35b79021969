package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/internal/pgtest"
)

// The benchmarks here time whole nova-plan processes, as a user or CI job
// sees them (start-up, spec, state, inventory, diff, apply, output). Run
// them with `make bench`, which repeats each and prints medians.

const benchVMs = 10000

// bench100k is the estate of the 100,000-VM benchmarks (issue 15): 1,000
// hosts of 256 vCPU and 1 TiB, the fleet at a quarter of their vCPUs.
const (
	bench100kVMs   = 100_000
	bench100kHosts = 1000
)

func benchSpec(latency string) string { return benchSpecOf(latency, benchVMs, 100) }

// benchSpecOf is one fleet of vms VMs of 1 vCPU and 1 GiB on a sim
// provider of hosts hosts.
func benchSpecOf(latency string, vms, hosts int) string {
	return fmt.Sprintf(`
provider "sim" "big" {
  hosts          = %d
  host_cpu       = 256
  host_memory_gb = 1024
  latency        = %q
}
template "base" {
  sim { image = "base" }
}
fleet "app" {
  count     = %d
  template  = template.base
  cpu       = 1
  memory_gb = 1
  tags      = { tier = "app" }
}
`, hosts, latency, vms)
}

// timed runs the binary once and returns its wall time and peak RSS.
func timed(b *testing.B, dir string, wantCode int, args ...string) (time.Duration, int64) {
	b.Helper()
	return timedEnv(b, dir, nil, wantCode, args...)
}

// timedEnv is timed with env (KEY=VALUE entries) added to the environment.
func timedEnv(b *testing.B, dir string, env []string, wantCode int, args ...string) (time.Duration, int64) {
	b.Helper()
	cmd := exec.Command(novaBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		b.Fatal(err)
	}
	if code != wantCode {
		b.Fatalf("nova-plan %v exited %d, want %d", args, code, wantCode)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return wall, ru.Maxrss * 1024
}

func benchDir(b *testing.B, latency string) string {
	b.Helper()
	return benchDirOf(b, benchSpec(latency))
}

func benchDirOf(b *testing.B, spec string) string {
	b.Helper()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(spec), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkPlanNoChanges10k: `plan` of a 10,000-VM spec against the
// 10,000 VMs it describes. Target: under 1 s and 300 MB peak RSS (issue 2);
// ≤ 0.12 s (issue 15).
func BenchmarkPlanNoChanges10k(b *testing.B) {
	benchPlanNoChanges(b, benchDir(b, "0s"))
}

// BenchmarkPlanNoChanges100k: `plan` of a 100,000-VM spec against the
// 100,000 VMs it describes, on 1,000 hosts. Target (issue 15): ≤ 0.8 s and
// ≤ 150 MB peak RSS.
func BenchmarkPlanNoChanges100k(b *testing.B) {
	benchPlanNoChanges(b, benchDirOf(b, benchSpecOf("0s", bench100kVMs, bench100kHosts)))
}

// benchPlanNoChanges applies the spec in dir once and plans once (the
// first plan after an apply may tidy what the apply left), then times plans
// that find nothing to do.
func benchPlanNoChanges(b *testing.B, dir string) {
	timed(b, dir, 0, "apply", "-auto-approve", "-parallelism=100")
	timed(b, dir, 0, "plan", "-detailed-exitcode")
	var peak int64
	b.ResetTimer()
	for b.Loop() {
		_, rss := timed(b, dir, 0, "plan", "-detailed-exitcode")
		peak = max(peak, rss)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
}

// BenchmarkDrift10k: `drift` of the 10,000 VMs BenchmarkPlanNoChanges10k
// plans, 100 of them retagged behind NovaCron's back (the hosts are full,
// so none can grow). Same target as plan.
func BenchmarkDrift10k(b *testing.B) {
	dir := benchDir(b, "0s")
	timed(b, dir, 0, "apply", "-auto-approve", "-parallelism=100")
	cfg := driver.Config{"hosts": int64(100), "host_cpu": int64(256), "host_memory_gb": float64(1024), "latency": time.Duration(0)}
	outOfBand(b, dir, "big", cfg, func(d *sim.Driver, byName map[string]driver.VM) {
		for i := range 100 {
			id := byName[fmt.Sprintf("app-%d", i*100)].ID
			if _, err := d.Update(context.Background(), id, driver.Changes{Tags: map[string]string{"tier": "moved"}}); err != nil {
				b.Fatalf("retagging %s out of band: %v", id, err)
			}
		}
	})
	var peak int64
	b.ResetTimer()
	for b.Loop() {
		_, rss := timed(b, dir, 2, "drift", "-detailed-exitcode")
		peak = max(peak, rss)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
}

// BenchmarkPlanNoChanges10kPg is BenchmarkPlanNoChanges10k with the state
// in PostgreSQL (the pg backend, on the server internal/pgtest finds): the
// difference is the cost of the backend.
func BenchmarkPlanNoChanges10kPg(b *testing.B) {
	dir, env := pgBenchDir(b, "0s", pgtest.Schema(b))
	timedEnv(b, dir, env, 0, "apply", "-auto-approve", "-parallelism=100")
	var peak int64
	b.ResetTimer()
	for b.Loop() {
		_, rss := timedEnv(b, dir, env, 0, "plan", "-detailed-exitcode")
		peak = max(peak, rss)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
}

// BenchmarkApply10kNoLatencyPg is BenchmarkApply10kNoLatency with the
// state in PostgreSQL, each apply into a new schema (-backend-config).
func BenchmarkApply10kNoLatencyPg(b *testing.B) {
	dir, env := pgBenchDir(b, "0s", "unused")
	var total time.Duration
	n := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if err := os.RemoveAll(filepath.Join(dir, ".nova")); err != nil {
			b.Fatal(err)
		}
		schema := pgtest.Schema(b)
		b.StartTimer()
		wall, _ := timedEnv(b, dir, env, 0, "apply", "-auto-approve", "-parallelism=100", "-backend-config=schema="+schema)
		total += wall
		n++
	}
	b.ReportMetric(float64((total/time.Duration(n)).Microseconds())/benchVMs, "µs/VM")
}

// pgBenchDir is benchDir with the pg backend and schema in the spec; env
// holds the connection string.
func pgBenchDir(b *testing.B, latency, schema string) (string, []string) {
	b.Helper()
	dir := b.TempDir()
	spec := benchSpec(latency) + "\nnovacron {\n  backend \"pg\" {\n    schema = \"" + schema + "\"\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(spec), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, []string{"NOVA_PG_CONN_STR=" + pgtest.ConnString(b)}
}

// BenchmarkApply10kLatency50ms: 10,000 creates with 50 ms per simulated
// call and -parallelism=100. The ideal is 10,000 × 50 ms / 100 = 5 s;
// x-ideal is the whole process's wall time over that. Target: ≤ 1.2.
func BenchmarkApply10kLatency50ms(b *testing.B) {
	benchApply(b, "50ms", func(wall time.Duration) {
		b.ReportMetric(wall.Seconds()/5, "x-ideal")
	})
}

// BenchmarkApply10kNoLatency: 10,000 creates with no simulated latency, so
// the time is NovaCron's own. Target: under 200 µs per VM.
func BenchmarkApply10kNoLatency(b *testing.B) {
	benchApply(b, "0s", func(wall time.Duration) {
		b.ReportMetric(float64(wall.Microseconds())/benchVMs, "µs/VM")
	})
}

// BenchmarkApply100kNoLatency: 100,000 creates on 1,000 hosts with no
// simulated latency. Target (issue 15): ≤ 3 s and ≤ 400 MB peak RSS.
func BenchmarkApply100kNoLatency(b *testing.B) {
	dir := benchDirOf(b, benchSpecOf("0s", bench100kVMs, bench100kHosts))
	benchApplyIn(b, dir, func(wall time.Duration) {
		b.ReportMetric(float64(wall.Microseconds())/bench100kVMs, "µs/VM")
	})
}

func benchApply(b *testing.B, latency string, report func(time.Duration)) {
	benchApplyIn(b, benchDir(b, latency), report)
}

// benchApplyIn times applies of the spec in dir, each from nothing, and
// reports the mean wall time through report and the peak RSS.
func benchApplyIn(b *testing.B, dir string, report func(time.Duration)) {
	var total time.Duration
	var peak int64
	n := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if err := os.RemoveAll(filepath.Join(dir, ".nova")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		wall, rss := timed(b, dir, 0, "apply", "-auto-approve", "-parallelism=100")
		total += wall
		peak = max(peak, rss)
		n++
	}
	report(total / time.Duration(n))
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
}
