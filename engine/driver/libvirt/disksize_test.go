package libvirt

import (
	"testing"

	lv "github.com/digitalocean/go-libvirt"
)

func param(field string, v any) lv.TypedParam {
	return lv.TypedParam{Field: field, Value: lv.TypedParamValue{I: v}}
}

// diskGiB reads disk vda's capacity from block statistics, in whole GiB
// rounded down, whatever the order of the disks.
func TestDiskGiB(t *testing.T) {
	for _, tt := range []struct {
		name   string
		params []lv.TypedParam
		want   int
	}{
		{"vda", []lv.TypedParam{param("block.count", uint32(1)), param("block.0.name", "vda"), param("block.0.capacity", uint64(3*gib))}, 3},
		{"rounded down", []lv.TypedParam{param("block.0.name", "vda"), param("block.0.capacity", uint64(3*gib-1))}, 2},
		{"vda second", []lv.TypedParam{
			param("block.0.name", "hdc"), param("block.0.capacity", uint64(gib)),
			param("block.1.name", "vda"), param("block.1.capacity", uint64(20*gib)),
		}, 20},
		{"no vda", []lv.TypedParam{param("block.0.name", "sda"), param("block.0.capacity", uint64(8*gib))}, 0},
		{"no capacity (the test driver)", []lv.TypedParam{param("block.0.name", "vda")}, 0},
		{"none", nil, 0},
	} {
		if got := diskGiB(tt.params); got != tt.want {
			t.Errorf("%s: diskGiB = %d, want %d", tt.name, got, tt.want)
		}
	}
}
