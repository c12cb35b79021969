package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// peakProfile, when path is set, writes at the end the heap profile of the
// collection that left the most live heap: what a run holds at its peak
// (NOVA_PEAKPROFILE=peak.out nova-plan plan …; go tool pprof
// -sample_index=inuse_space peak.out). At each new peak it runs two
// collections of its own and takes the profile (settleAndProfile): a
// profile taken two natural collections later missed a peak that was the
// command's last collection, as a 100,000-VM plan's often is. It polls
// every millisecond, so it may miss a collection among several that quick.
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

// settleAndProfile writes into best the heap profile of the heap as it is
// now. A heap profile shows the heap as of up to two collections before,
// and a command may end before two more of its own (a plan's peak is often
// its last collection), so it runs two first. It returns the collections
// run so far, those two with them.
func settleAndProfile(best *bytes.Buffer, sample []metrics.Sample) uint64 {
	runtime.GC()
	runtime.GC()
	best.Reset()
	_ = pprof.Lookup("heap").WriteTo(best, 0)
	metrics.Read(sample)
	return sample[1].Value.Uint64()
}

// pollPeak writes into best the heap profile of the collection that left
// the most live heap, until stop is closed.
func pollPeak(stop chan struct{}, best *bytes.Buffer) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	var most, cycle uint64
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(sample)
		live, c := sample[0].Value.Uint64(), sample[1].Value.Uint64()
		if c != cycle {
			cycle = c
			if live > most {
				most = live
				cycle = settleAndProfile(best, sample)
			}
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}
