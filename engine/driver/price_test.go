package driver_test

import (
	"errors"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

func TestSizeTablePriceOf(t *testing.T) {
	table := driver.SizeTable{
		{Name: "small", CPU: 2, MemoryMiB: 4096, Price: 0.05},
		{Name: "big", CPU: 8, MemoryMiB: 32768, Price: 0.4},
	}
	tests := []struct {
		name     string
		cpu      int
		mib      int64
		named    string
		want     string
		monthly  float64
		wantFail bool
	}{
		{"cheapest fit", 2, 2048, "", "small", 36.5, false},
		{"grows to the next", 4, 2048, "", "big", 292, false},
		{"named size", 1, 512, "big", "big", 292, false},
		{"too big", 16, 2048, "", "", 0, true},
		{"unknown name", 1, 512, "huge", "", 0, true},
		{"named size too small", 4, 8192, "small", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := table.PriceOf(driver.PriceRequest{CPU: tt.cpu, MemoryMiB: tt.mib}, "size", tt.named, "test table")
			if tt.wantFail {
				if !errors.Is(err, driver.ErrNoSize) {
					t.Fatalf("err = %v, want ErrNoSize", err)
				}
				return
			}
			if err != nil || p.Size != tt.want || p.Monthly() != tt.monthly {
				t.Fatalf("got %+v (%v), monthly %v; want %s at %v", p, err, p.Monthly(), tt.want, tt.monthly)
			}
		})
	}
}

func TestCorePricer(t *testing.T) {
	p := driver.CorePricerOf(driver.Config{driver.SettingCostPerCoreHour: 0.01, driver.SettingCostPerGiBHour: 0.002})
	got, _ := p.Price(driver.PriceRequest{CPU: 4, MemoryMiB: 8192})
	if want := (4*0.01 + 8*0.002) * 730; got.Monthly() != 40.88 || want < 40.87 || want > 40.89 {
		t.Fatalf("monthly = %v, want 40.88", got.Monthly())
	}
}
