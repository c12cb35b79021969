package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestPeakProfile: NOVA_PEAKPROFILE writes a heap profile (gzip-compressed
// protobuf, what go tool pprof reads) taken after a collection.
func TestPeakProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peak.out")
	stop := peakProfile(path)
	keep := make([][]byte, 0, 64)
	for range 64 {
		keep = append(keep, make([]byte, 64<<10))
	}
	for range 3 {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	runtime.KeepAlive(keep)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		t.Fatalf("the profile is %d bytes that are not gzip: %q", len(data), data[:min(len(data), 16)])
	}
}
