package driver_test

import (
	"errors"
	"math"
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

// TestSizeSettingError: a named size too small is an ErrNoSize that names
// the setting and counts vCPUs in words.
func TestSizeSettingError(t *testing.T) {
	table := driver.SizeTable{{Name: "tiny", CPU: 1, MemoryMiB: 512, Price: 0.005}}
	_, err := table.PriceOf(driver.PriceRequest{CPU: 4, MemoryMiB: 16384}, "instance_type", "tiny", "test table")
	var e *driver.SizeSettingError
	if !errors.As(err, &e) || !errors.Is(err, driver.ErrNoSize) || e.Setting != "instance_type" {
		t.Fatalf("err = %v, want a SizeSettingError for instance_type", err)
	}
	if want := "instance_type tiny has 1 vCPU and 512 MiB, less than the VM's 4 vCPUs and 16384 MiB"; err.Error() != want {
		t.Fatalf("err = %q, want %q", err, want)
	}
}

// TestCostBounds: cost settings take 0 to MaxCostPerHour; a price whose
// month is not finite is ErrPriceRange.
func TestCostBounds(t *testing.T) {
	check := driver.CostSettings()[0].Check
	for _, v := range []float64{0, 0.01, driver.MaxCostPerHour} {
		if err := check(v); err != nil {
			t.Errorf("%v: %v", v, err)
		}
	}
	for _, v := range []float64{-1, driver.MaxCostPerHour + 1, 1e308, math.Inf(1), math.NaN()} {
		if err := check(v); err == nil {
			t.Errorf("%v: accepted", v)
		}
	}
	for _, h := range []float64{1e306, math.Inf(1), math.NaN(), -0.5} {
		if err := driver.CheckFinite(h); !errors.Is(err, driver.ErrPriceRange) {
			t.Errorf("CheckFinite(%v) = %v, want ErrPriceRange", h, err)
		}
	}
	if _, err := (driver.CorePricer{PerCoreHour: 1e306}).Price(driver.PriceRequest{CPU: 2}); !errors.Is(err, driver.ErrPriceRange) {
		t.Errorf("CorePricer at 1e306: %v, want ErrPriceRange", err)
	}
}
