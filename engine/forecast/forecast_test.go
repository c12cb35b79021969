package forecast_test

import (
	"testing"
	"time"

	"github.com/novacron/novacron/engine/forecast"
)

var monday = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // a Monday

func TestHourOfWeek(t *testing.T) {
	cases := []struct {
		t    time.Time
		want int
	}{
		{monday, 0},
		{monday.Add(13 * time.Hour), 13},
		{monday.Add(6*24*time.Hour + 23*time.Hour), 167},
		{monday.Add(7 * 24 * time.Hour), 0},
	}
	for _, c := range cases {
		if got := forecast.HourOfWeek(c.t); got != c.want {
			t.Errorf("HourOfWeek(%s) = %d, want %d", c.t, got, c.want)
		}
	}
}

func TestFitPeak(t *testing.T) {
	// Four weeks: Monday 10:00 is busy (cpu 4, then 8 in the newest week),
	// every other hour idle (cpu 1).
	var samples []forecast.Sample
	for w := range 4 {
		for h := range 168 {
			cpu := 1.0
			if h == 10 {
				cpu = 4
				if w == 3 {
					cpu = 8
				}
			}
			samples = append(samples, forecast.Sample{Time: monday.Add(time.Duration(w*168+h) * time.Hour), CPU: cpu, MemoryMiB: 1024})
		}
	}
	cases := []struct {
		name  string
		o     forecast.Options
		from  time.Time
		hours int
		cpu   float64
	}{
		// With a week's half-life, the newest week holds 8/15 of the
		// weight: at the 95th percentile the forecast is its 8 cores.
		{"the busy hour, newest week dominating", forecast.Defaults, monday.Add(28*24*time.Hour + 10*time.Hour), 1, 8},
		// At the median, the three older weeks' 7/15 of the weight
		// (< 1/2) are not enough: still 8.
		{"the median", forecast.Options{Percentile: 0.5, HalfLife: 7 * 24 * time.Hour}, monday.Add(28*24*time.Hour + 10*time.Hour), 1, 8},
		// A long half-life makes the weeks nearly equal: the median is 4.
		{"a long memory", forecast.Options{Percentile: 0.5, HalfLife: 1000 * 24 * time.Hour}, monday.Add(28*24*time.Hour + 10*time.Hour), 1, 4},
		{"an idle hour", forecast.Defaults, monday.Add(28*24*time.Hour + 3*time.Hour), 1, 1},
		{"a horizon that reaches the busy hour", forecast.Defaults, monday.Add(28*24*time.Hour + 7*time.Hour), 4, 8},
		{"a horizon that stops before it", forecast.Defaults, monday.Add(28*24*time.Hour + 7*time.Hour), 3, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := forecast.Fit(samples, c.o)
			cpu, mem, ok := m.Peak(c.from, c.hours)
			if !ok || cpu != c.cpu || mem != 1024 {
				t.Errorf("Peak = %g cores, %g MiB, %v; want %g cores, 1024 MiB", cpu, mem, ok, c.cpu)
			}
		})
	}
	if _, _, ok := forecast.Fit(nil, forecast.Defaults).Peak(monday, 1); ok {
		t.Error("a model without samples forecast something")
	}
}
