package main

import (
	"bytes"
	"compress/gzip"
	"io"
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

// TestPeakProfileLastCollection: a peak that is the run's last collection
// is in the profile (the plan of 100,000 VMs peaks there): what
// holdForPeakProfile allocated, live then, is among the profile's frames.
// A heap this small is swept at once, so the profiler of before two
// forced collections passed this too; the 100,000-VM plan, whose last
// collection leaves ~95 MB to sweep, is where it missed the peak (its
// profile showed 63 MB of the 99 MB live; now 88 MB).
func TestPeakProfileLastCollection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peak.out")
	stop := peakProfile(path)
	time.Sleep(5 * time.Millisecond)
	keep := holdForPeakProfile()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	stop()
	runtime.KeepAlive(keep)
	zipped, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("holdForPeakProfile")) {
		t.Fatalf("the profile (%d bytes) has no frame of holdForPeakProfile, which held 32 MB at the peak", len(data))
	}
}

// holdForPeakProfile allocates 32 MB in 64 KB pieces (about 64 samples at
// the default sampling rate of one per 512 KB).
//
//go:noinline
func holdForPeakProfile() [][]byte {
	keep := make([][]byte, 0, 512)
	for range 512 {
		keep = append(keep, make([]byte, 64<<10))
	}
	return keep
}
