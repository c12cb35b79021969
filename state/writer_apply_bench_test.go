package state_test

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// BenchmarkWriterApply100k is the state writes of an apply creating
// 100,000 VMs: 20 persists of 5,000 new VMs each (an apply's 200 ms
// intervals), then Close, into a fresh local store. "journal" is the
// store as it is (a DeltaStore); "whole" hides WriteDelta, so every
// persist writes the whole document, as before the journal. written-MB is
// what the process wrote (wchar of /proc/self/io), cpu-ms its CPU time.
func BenchmarkWriterApply100k(b *testing.B) {
	const n, batches = 100_000, 20
	vms := make([]*state.VM, n)
	for i := range vms {
		vms[i] = testVM(i)
	}
	for _, mode := range []string{"journal", "whole"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			var written, cpu float64
			for b.Loop() {
				b.StopTimer()
				var store state.Store = local.New(b.TempDir())
				if mode == "whole" {
					store = wholeStore{store}
				}
				st := state.New("bench")
				st.Serial = 1
				if err := store.Write(b.Context(), st); err != nil {
					b.Fatal(err)
				}
				w0, c0 := wchar(b), cpuTime()
				b.StartTimer()
				w := state.NewWriter(store, st)
				for i, vm := range vms {
					w.Set("fleet.web["+strconv.Itoa(i)+"]", vm)
					if (i+1)%(n/batches) == 0 {
						if err := w.Flush(b.Context()); err != nil {
							b.Fatal(err)
						}
					}
				}
				if err := w.Close(b.Context()); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				written += float64(wchar(b) - w0)
				cpu += float64(cpuTime() - c0)
				b.StartTimer()
			}
			b.ReportMetric(written/1e6/float64(b.N), "written-MB/op")
			b.ReportMetric(cpu/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// wchar returns the bytes this process has written (/proc/self/io).
func wchar(b *testing.B) int64 {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		b.Fatalf("reading /proc/self/io, which this benchmark needs: %v", err)
	}
	for line := range bytes.Lines(data) {
		if v, ok := bytes.CutPrefix(line, []byte("wchar: ")); ok {
			n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("/proc/self/io has no wchar line")
	return 0
}

// cpuTime returns the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
