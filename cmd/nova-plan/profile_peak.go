package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// peakProfile, when path is set, writes at the end the heap profile of the
// collection that left the most live heap: what a run holds at its peak
// (NOVA_PEAKPROFILE=peak.out nova-plan plan …; go tool pprof
// -sample_index=inuse_space peak.out). A heap profile shows the heap as of
// up to two collections before it is taken, so the profile kept is the one
// taken two collections after the peak (or the last one). It polls every
// millisecond, so it may miss a collection among several that quick.
func peakProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	var best bytes.Buffer
	go func() {
		defer close(done)
		pollPeak(stop, &best)
	}()
	return func() {
		close(stop)
		<-done
		if err := os.WriteFile(path, best.Bytes(), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "NOVA_PEAKPROFILE: %v\n", err)
		}
	}
}

// pollPeak writes into best the heap profile two collections after the one
// that left the most live heap, until stop is closed.
func pollPeak(stop chan struct{}, best *bytes.Buffer) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	var most, cycle, peakCycle uint64
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(sample)
		live, c := sample[0].Value.Uint64(), sample[1].Value.Uint64()
		if c != cycle {
			cycle = c
			if live > most {
				most, peakCycle = live, c
			}
			if c <= peakCycle+2 {
				best.Reset()
				_ = pprof.Lookup("heap").WriteTo(best, 0)
			}
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}
