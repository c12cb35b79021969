package rebalance_test

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/forecast"
	"github.com/novacron/novacron/engine/rebalance"
)

// diurnal is a generated VM: busy by day in its own time zone, less at
// weekends, with noise.
type diurnal struct {
	base, amp, mem float64
	phase          int // the hour its day starts
	noise          *rand.Rand
}

func (d *diurnal) cpu(t time.Time) float64 {
	h := float64((t.Hour()-d.phase+24)%24) + float64(t.Minute())/60
	day := d.amp * math.Max(0, math.Sin(2*math.Pi*h/24))
	if wd := t.Add(time.Duration(d.phase) * time.Hour).Weekday(); wd == time.Saturday || wd == time.Sunday {
		day *= 0.3
	}
	return math.Min(4, math.Max(0, d.base+day+d.noise.NormFloat64()*0.15))
}

type workload struct {
	hosts []driver.Host
	vms   []*diurnal
	start time.Time // the simulated week's start; history is the 4 weeks before
}

const (
	simHosts, simPerHost = 10, 7 // the first 8 hosts hold 7 VMs each; 2 start empty
	simThreshold         = 60.0
)

// newWorkload is 10 hosts of 32 cores; the first 8 hold 7 VMs of 4 vCPUs
// each (28 of 32 allocated), whose days start within 3 hours of each
// other (one team, one time zone per host), 3 hours later host by host.
// A VM uses 0.3–1 core at night and 2–3 more at midday.
func newWorkload(seed int64) *workload {
	rng := rand.New(rand.NewSource(seed))
	w := &workload{start: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
	for i := range simHosts {
		w.hosts = append(w.hosts, driver.Host{Name: fmt.Sprintf("h%d", i), CPU: 32, MemoryMiB: 128 << 10})
	}
	for i := range 8 * simPerHost {
		w.vms = append(w.vms, &diurnal{base: 0.3 + 0.7*rng.Float64(), amp: 2 + rng.Float64(), mem: float64(2+rng.Intn(5)) * 1024,
			phase: (3*(i/simPerHost) + rng.Intn(3)) % 24, noise: rand.New(rand.NewSource(rng.Int63()))})
	}
	return w
}

func (w *workload) history() [][]forecast.Sample {
	out := make([][]forecast.Sample, len(w.vms))
	for t := w.start.Add(-4 * 7 * 24 * time.Hour); t.Before(w.start); t = t.Add(time.Hour) {
		for i, vm := range w.vms {
			out[i] = append(out[i], forecast.Sample{Time: t, CPU: vm.cpu(t), MemoryMiB: vm.mem})
		}
	}
	return out
}

// simulate runs the week in 5-minute steps, rebalancing every hour on
// use(t) (nil: never), and returns the hot-host minutes and the moves.
func (w *workload) simulate(use func(i int, t time.Time, now float64) float64) (hotMinutes, moves int) {
	at := make([]string, len(w.vms))
	for i := range w.vms {
		at[i] = w.hosts[i/simPerHost].Name
	}
	const step = 5 * time.Minute
	for t := w.start; t.Before(w.start.Add(7 * 24 * time.Hour)); t = t.Add(step) {
		now := make([]float64, len(w.vms))
		load := map[string]float64{}
		for i, vm := range w.vms {
			now[i] = vm.cpu(t)
			load[at[i]] += now[i]
		}
		if use != nil && t.Minute() == 0 {
			moves += w.rebalance(at, t, now, use)
			load = map[string]float64{}
			for i := range w.vms {
				load[at[i]] += now[i]
			}
		}
		for _, l := range load {
			if l > simThreshold/100*32 {
				hotMinutes += int(step / time.Minute)
			}
		}
	}
	return hotMinutes, moves
}

func (w *workload) rebalance(at []string, t time.Time, now []float64, use func(int, time.Time, float64) float64) int {
	in := rebalance.Input{Hosts: w.hosts, Mode: rebalance.Hot, Threshold: simThreshold, MinRatio: 0.5, MaxMoves: rebalance.Budget(len(w.vms), 10)}
	for i, vm := range w.vms {
		in.VMs = append(in.VMs, rebalance.VM{Address: fmt.Sprint(i), Host: at[i], CPU: 4, MemoryMiB: 8192, UseCPU: use(i, t, now[i]), UseMemoryMiB: vm.mem})
	}
	r, err := rebalance.Run(in)
	if err != nil {
		panic(err)
	}
	for _, m := range r.Moves {
		var i int
		fmt.Sscan(m.Address, &i)
		at[i] = m.To
	}
	return len(r.Moves)
}

// BenchmarkPredictHotMinutes measures, on a generated diurnal week
// (seeded), the hot-host minutes (a host above 60 % cpu, in 5-minute
// steps) and the moves with no rebalancing, with an hourly rebalance on
// the load at that moment, and with an hourly rebalance on the forecast
// (engine/forecast's defaults, the busiest of the next 2 hours, fitted on
// the 4 weeks before).
func BenchmarkPredictHotMinutes(b *testing.B) {
	for _, seed := range []int64{1, 2, 3} {
		b.Run(fmt.Sprintf("seed=%d", seed), func(b *testing.B) {
			var none, cur, pred, curMoves, predMoves int
			for b.Loop() {
				w := newWorkload(seed)
				none, _ = w.simulate(nil)
				w = newWorkload(seed)
				cur, curMoves = w.simulate(func(_ int, _ time.Time, now float64) float64 { return now })
				w = newWorkload(seed)
				models := make([]forecast.Model, len(w.vms))
				for i, h := range w.history() {
					models[i] = forecast.Fit(h, forecast.Defaults)
				}
				pred, predMoves = w.simulate(func(i int, t time.Time, now float64) float64 {
					cpu, _, _ := models[i].Peak(t, 2)
					return cpu
				})
			}
			b.ReportMetric(float64(none), "hot-min-none")
			b.ReportMetric(float64(cur), "hot-min-current")
			b.ReportMetric(float64(pred), "hot-min-forecast")
			b.ReportMetric(float64(curMoves), "moves-current")
			b.ReportMetric(float64(predMoves), "moves-forecast")
		})
	}
}
