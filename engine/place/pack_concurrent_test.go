package place_test

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/engine/place"
)

// TestConcurrentPackingKeepsTheSamePlacement: a batch whose packing
// strategies run side by side places every VM on the host the strategies
// run one after another choose, on instances of several shapes (the
// race detector checks that the strategies only read what they share).
func TestConcurrentPackingKeepsTheSamePlacement(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			in := genInstance(seed, 600, 40)
			placeWith := func(minItems int) []place.Decision {
				defer place.SetParallelPackItems(minItems)()
				return place.Vector{}.PlaceAll(place.NewCluster(in.hostList()), in.vmList())
			}
			serial, concurrent := placeWith(1<<30), placeWith(1)
			placed := 0
			for i := range serial {
				if serial[i].Host != concurrent[i].Host {
					t.Fatalf("VM %d: %q one strategy at a time, %q side by side", i, serial[i].Host, concurrent[i].Host)
				}
				if serial[i].Host != "" {
					placed++
				}
			}
			if placed == 0 {
				t.Fatal("the instance placed no VM: the comparison proves nothing")
			}
		})
	}
}
