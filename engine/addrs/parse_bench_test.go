package addrs_test

import (
	"testing"

	"github.com/novacron/novacron/engine/addrs"
)

func BenchmarkParseInstance(b *testing.B) {
	for b.Loop() {
		if _, err := addrs.ParseInstance("fleet.app[1234]"); err != nil {
			b.Fatal(err)
		}
	}
}
