package forecast

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Sample is one measurement of a VM's use.
type Sample struct {
	Time      time.Time
	CPU       float64 // cores
	MemoryMiB float64
}

// Options are the forecast's two knobs.
type Options struct {
	// Percentile is the share of the weight the forecast covers, in
	// (0, 1]: 0.95 forecasts a level 95 % of the weighted samples stay
	// under.
	Percentile float64
	// HalfLife is the age at which a sample weighs half as much as a new
	// one.
	HalfLife time.Duration
}

// Defaults are the options rebalance -predict uses.
var Defaults = Options{Percentile: 0.95, HalfLife: 7 * 24 * time.Hour}

const hoursPerWeek = 7 * 24

// Model is one VM's forecast, per hour of the week.
type Model struct {
	cpu, mem [hoursPerWeek]float64
	ok       bool // it had samples
}

type weighted struct{ v, w float64 }

// Fit builds a VM's model from its samples (in any order).
func Fit(samples []Sample, o Options) Model {
	var m Model
	if len(samples) == 0 {
		return m
	}
	newest := slices.MaxFunc(samples, func(a, b Sample) int { return a.Time.Compare(b.Time) }).Time
	var byHour [hoursPerWeek][2][]weighted
	var byDay [24][2][]weighted
	var all [2][]weighted
	for _, s := range samples {
		w := math.Exp2(-float64(newest.Sub(s.Time)) / float64(o.HalfLife))
		h := HourOfWeek(s.Time)
		for d, v := range [2]float64{s.CPU, s.MemoryMiB} {
			x := weighted{v, w}
			byHour[h][d] = append(byHour[h][d], x)
			byDay[h%24][d] = append(byDay[h%24][d], x)
			all[d] = append(all[d], x)
		}
	}
	for h := range hoursPerWeek {
		src := byHour[h]
		if len(src[0]) == 0 {
			src = byDay[h%24]
		}
		if len(src[0]) == 0 {
			src = all
		}
		m.cpu[h], m.mem[h] = percentile(src[0], o.Percentile), percentile(src[1], o.Percentile)
	}
	m.ok = true
	return m
}

// percentile is the weighted p-percentile of xs (it sorts xs).
func percentile(xs []weighted, p float64) float64 {
	slices.SortFunc(xs, func(a, b weighted) int { return cmp.Compare(a.v, b.v) })
	total := 0.0
	for _, x := range xs {
		total += x.w
	}
	acc := 0.0
	for _, x := range xs {
		acc += x.w
		if acc >= p*total-1e-12*total {
			return x.v
		}
	}
	return xs[len(xs)-1].v
}

// HourOfWeek is t's hour of the week in UTC, Monday 00:00 being 0.
func HourOfWeek(t time.Time) int {
	t = t.UTC()
	return (int(t.Weekday())+6)%7*24 + t.Hour()
}

// Peak is the highest forecast cpu and memory over the hours from `from`
// for `hours` hours (at least the hour of `from`); false when the model
// had no samples.
func (m Model) Peak(from time.Time, hours int) (cpu, mem float64, ok bool) {
	if !m.ok {
		return 0, 0, false
	}
	h := HourOfWeek(from)
	for i := range max(hours, 1) {
		k := (h + i) % hoursPerWeek
		cpu, mem = max(cpu, m.cpu[k]), max(mem, m.mem[k])
	}
	return cpu, mem, true
}
