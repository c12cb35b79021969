package libvirt

import (
	"testing"
	"time"

	lv "github.com/digitalocean/go-libvirt"
)

func TestSampleOf(t *testing.T) {
	u := func(field string, v uint64) lv.TypedParam {
		return lv.TypedParam{Field: field, Value: lv.TypedParamValue{D: 4, I: v}}
	}
	cases := []struct {
		name   string
		params []lv.TypedParam
		cpu    uint64
		mem    float64
	}{
		{"the balloon's guest figures first", []lv.TypedParam{u("cpu.time", 7), u("balloon.available", 4096), u("balloon.unused", 1024), u("balloon.rss", 9999)}, 7, 3},
		{"QEMU's RSS without them", []lv.TypedParam{u("cpu.time", 5), u("balloon.rss", 204800)}, 5, 200},
		{"no memory figure", []lv.TypedParam{u("cpu.time", 5)}, 5, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := sampleOf(c.params, time.Time{})
			if s.cpuNS != c.cpu || s.mem != c.mem {
				t.Errorf("sampleOf = %d ns, %g MiB; want %d, %g", s.cpuNS, s.mem, c.cpu, c.mem)
			}
		})
	}
}
