package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/exec"
)

// BenchmarkProgressPlainLines is an apply's progress into a file (not a
// terminal): one finished create a op. writes/op counts the writes the
// file received (lines go out together, at most flushEvery apart).
func BenchmarkProgressPlainLines(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "out"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := &countingWriter{f: f}
	u := &ui{out: w, err: w}
	c := createsPlan10k().Changes[0]
	p := newProgress(u, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		p.event(exec.Event{Kind: exec.EventSucceeded, Change: c, Elapsed: 3 * time.Millisecond, Done: i + 1, Total: b.N})
	}
	p.finish()
	b.ReportMetric(float64(w.writes)/float64(b.N), "writes/op")
}

type countingWriter struct {
	f      *os.File
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.f.Write(p)
}
