package driver_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// sizes is a small table with ties on price, vCPUs and memory.
var sizes = driver.SizeTable{
	{Name: "big", CPU: 8, MemoryMiB: 32768, Price: 0.40},
	{Name: "small", CPU: 2, MemoryMiB: 2048, Price: 0.02},
	{Name: "tiny", CPU: 2, MemoryMiB: 512, Price: 0.005},
	{Name: "mem-b", CPU: 2, MemoryMiB: 16384, Price: 0.10},
	{Name: "mem-a", CPU: 2, MemoryMiB: 16384, Price: 0.10},
	{Name: "cpu", CPU: 4, MemoryMiB: 8192, Price: 0.10},
	{Name: "one", CPU: 1, MemoryMiB: 2048, Price: 0.02},
}

func TestCheapestFit(t *testing.T) {
	cases := []struct {
		cpu  int
		mib  int64
		want string // "" for none
	}{
		{1, 256, "tiny"},
		{2, 512, "tiny"},
		{1, 1024, "one"},   // as cheap as small, fewer vCPUs
		{2, 1024, "small"}, // tiny has too little memory
		{2, 4096, "mem-a"}, // as cheap as cpu, with fewer vCPUs; as mem-b, with the first name
		{3, 4096, "cpu"},   // only cpu and big have 3+ vCPUs
		{8, 32768, "big"},
		{9, 1, ""},
		{1, 65536, ""},
	}
	// Every order of the table gives the same answers.
	for range 20 {
		table := append(driver.SizeTable(nil), sizes...)
		rand.Shuffle(len(table), func(i, j int) { table[i], table[j] = table[j], table[i] })
		for _, tc := range cases {
			got, ok := table.CheapestFit(tc.cpu, tc.mib)
			if ok != (tc.want != "") || got.Name != tc.want {
				t.Fatalf("CheapestFit(%d, %d) = %q, %t; want %q", tc.cpu, tc.mib, got.Name, ok, tc.want)
			}
		}
	}
}

func TestSizeLookup(t *testing.T) {
	got, ok := sizes.Lookup("cpu")
	if diff := cmp.Diff(driver.Size{Name: "cpu", CPU: 4, MemoryMiB: 8192, Price: 0.10}, got); !ok || diff != "" {
		t.Errorf("Lookup(cpu) = %t (-want +got):\n%s", ok, diff)
	}
	if _, ok := sizes.Lookup("nope"); ok {
		t.Error("Lookup(nope) found a size")
	}
}
