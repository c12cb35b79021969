package plan_test

import (
	"math/rand"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/plan"
)

func TestAddressLessSorts(t *testing.T) {
	want := []string{
		"fleet.a", "fleet.a-b[0]", "fleet.web[0]", "fleet.web[2]", "fleet.web[10]", "fleet.web[100]",
		`fleet.x["a"]`, `fleet.x["b"]`, `fleet.x["b10"]`, `fleet.x["b9"]`, "vm.db", "vm.db-01",
	}
	got := slices.Clone(want)
	rand.New(rand.NewSource(3)).Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	slices.SortStableFunc(got, func(a, b string) int {
		switch {
		case plan.AddressLess(a, b):
			return -1
		case plan.AddressLess(b, a):
			return 1
		}
		return 0
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sorted addresses (-want +got):\n%s", diff)
	}
}

// randomAddress draws from the addresses a spec and state can hold: a
// fleet or vm, with no index, a count index, or a quoted for_each key.
func randomAddress(rng *rand.Rand) string {
	fleets := []string{"fleet.a", "fleet.ab", "fleet.a-b", "fleet.b", "vm.a", "vm.a-1"}
	addr := fleets[rng.Intn(len(fleets))]
	switch rng.Intn(3) {
	case 0:
		return addr
	case 1:
		return addr + "[" + strconv.Itoa(rng.Intn(120)) + "]"
	}
	alphabet := []rune(`ab09[]" .é`)
	key := make([]rune, rng.Intn(4))
	for i := range key {
		key[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return addr + "[" + strconv.Quote(string(key)) + "]"
}

// TestAddressLessStrictWeakOrder checks the laws sort relies on over random
// addresses: irreflexive, asymmetric, transitive — and total, since two
// distinct addresses of this form never tie.
func TestAddressLessStrictWeakOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	less := plan.AddressLess
	for range 20 {
		addrs := make([]string, 40)
		for i := range addrs {
			addrs[i] = randomAddress(rng)
		}
		for _, a := range addrs {
			if less(a, a) {
				t.Fatalf("AddressLess(%q, %q) is true", a, a)
			}
			for _, b := range addrs {
				if less(a, b) && less(b, a) {
					t.Fatalf("%q and %q are each less than the other", a, b)
				}
				if a != b && !less(a, b) && !less(b, a) {
					t.Fatalf("distinct addresses %q and %q are not ordered", a, b)
				}
				for _, c := range addrs {
					if less(a, b) && less(b, c) && !less(a, c) {
						t.Fatalf("not transitive: %q < %q < %q but not %q < %q", a, b, c, a, c)
					}
				}
			}
		}
	}
}
