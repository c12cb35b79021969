package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

func TestFactory(t *testing.T) {
	f := Factory()
	if f.Type != "sim" {
		t.Errorf("Type = %q, want sim", f.Type)
	}
	for _, s := range append(f.Settings, f.TemplateSettings...) {
		if s.Description == "" {
			t.Errorf("setting %s has no Description", s.Name)
		}
		if s.Default != nil && s.Check != nil {
			if err := s.Check(s.Default); err != nil {
				t.Errorf("the default of %s fails its own Check: %v", s.Name, err)
			}
		}
	}
	d, err := f.Open(context.Background(), driver.OpenRequest{Name: "lab", DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("Open through the factory: %v", err)
	}
	if n := len(mustInventory(t, d.(*Driver)).Hosts); n != 4 {
		t.Errorf("default cluster has %d hosts, want 4", n)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestSettingChecks(t *testing.T) {
	checks := map[string]func(any) error{}
	for _, s := range append(settings(), templateSettings()...) {
		checks[s.Name] = s.Check
	}
	tests := []struct {
		setting string
		value   any
		wantErr string // "" for valid
	}{
		{"hosts", int64(1), ""},
		{"hosts", int64(10000), ""},
		{"hosts", int64(0), "hosts must be between 1 and 10000; got 0"},
		{"hosts", int64(10001), "hosts must be between 1 and 10000; got 10001"},
		{"host_cpu", int64(4096), ""},
		{"host_cpu", int64(-1), "host_cpu must be between 1 and 4096; got -1"},
		{"host_memory_gb", 0.5, ""},
		{"host_memory_gb", 0.0, "host_memory_gb must be a positive number of GiB; got 0"},
		{"host_names", []string{"a", "b"}, ""},
		{"host_names", []string{}, "host_names must list between 1 and 10000 hosts; got 0"},
		{"host_names", []string{"a", ""}, "host_names must not contain an empty name"},
		{"host_names", []string{"a", "b", "a"}, `host_names lists "a" twice; each host needs a distinct name`},
		{"latency", time.Duration(0), ""},
		{"latency", -time.Second, "latency must not be negative; got -1s"},
		{"fail_rate", 1.0, ""},
		{"fail_rate", 1.5, "fail_rate must be between 0 and 1 (a probability); got 1.5"},
		{"fail_rate", -0.1, "fail_rate must be between 0 and 1 (a probability); got -0.1"},
		{"image", "ubuntu", ""},
		{"image", "", "image must not be empty"},
	}
	for _, tt := range tests {
		err := checks[tt.setting](tt.value)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.wantErr {
			t.Errorf("Check of %s = %v: error %q, want %q", tt.setting, tt.value, got, tt.wantErr)
		}
	}
}

func TestOpenChecksConfig(t *testing.T) {
	tests := []struct {
		name    string
		req     driver.OpenRequest
		wantErr string
	}{
		{"bad setting", driver.OpenRequest{Name: "lab", DataDir: "x", Config: driver.Config{"hosts": int64(0)}},
			"hosts must be between 1 and 10000; got 0"},
		{"name with a slash", driver.OpenRequest{Name: "../lab", DataDir: "x"},
			`the simulated provider's name "../lab" must be letters, digits, '_' and '-'`},
		{"no data folder", driver.OpenRequest{Name: "lab"},
			`the simulated provider "lab" needs a data folder to keep its cluster in`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(context.Background(), tt.req)
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Open: %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestHostNames(t *testing.T) {
	tests := []struct {
		n          int
		first, end string
	}{
		{1, "hv-01", "hv-01"},
		{4, "hv-01", "hv-04"},
		{99, "hv-01", "hv-99"},
		{100, "hv-001", "hv-100"},
		{10000, "hv-00001", "hv-10000"},
	}
	for _, tt := range tests {
		names := hostNames(tt.n)
		got := []any{len(names), names[0], names[len(names)-1]}
		if diff := cmp.Diff([]any{tt.n, tt.first, tt.end}, got); diff != "" {
			t.Errorf("hostNames(%d) (-want +got):\n%s", tt.n, diff)
		}
	}
}

func TestFormatID(t *testing.T) {
	for n, want := range map[int64]string{1: "vm-000001", 999999: "vm-999999", 1000000: "vm-1000000"} {
		if got := formatID(n); got != want {
			t.Errorf("formatID(%d) = %s, want %s", n, got, want)
		}
	}
	if compareIDs("vm-999999", "vm-1000000") >= 0 || compareIDs("vm-000009", "vm-000010") >= 0 {
		t.Error("compareIDs does not order IDs by number")
	}
}

func TestCreateChecksSpec(t *testing.T) {
	d := open(t, t.TempDir(), nil)
	tests := []struct {
		name    string
		edit    func(*driver.VMSpec)
		wantErr string
	}{
		{"no name", func(s *driver.VMSpec) { s.Name = "" }, "a VM needs a name"},
		{"no image", func(s *driver.VMSpec) { s.Template = driver.TemplateRef{Name: "t"} },
			`template "t" has no sim mapping: set image in its sim block`},
		{"no cpu", func(s *driver.VMSpec) { s.CPU = 0 }, "a VM needs at least 1 vCPU, not 0"},
		{"no memory", func(s *driver.VMSpec) { s.MemoryMiB = 0 }, "a VM needs at least 1 MiB of memory, not 0"},
		{"bad power", func(s *driver.VMSpec) { s.Power = "paused" }, `power must be "running" or "stopped", not "paused"`},
	}
	for _, tt := range tests {
		s := spec("x", "")
		tt.edit(&s)
		_, err := d.Create(context.Background(), s)
		if err == nil || err.Error() != tt.wantErr || driver.KindOf(err) != driver.KindPermanent {
			t.Errorf("%s: Create: %v, want permanent %q", tt.name, err, tt.wantErr)
		}
	}
	if n := len(mustInventory(t, d).VMs); n != 0 {
		t.Errorf("refused Creates left %d VMs", n)
	}
}

func TestCreateDefaults(t *testing.T) {
	d := open(t, t.TempDir(), nil)
	s := spec("x", "")
	s.Power, s.Marker = "", driver.Marker{}
	vm := mustCreate(t, d, s)
	if vm.Power != driver.PowerRunning || vm.Marker != nil {
		t.Errorf("Create with no power and a zero marker: power %q, marker %v; want running and nil", vm.Power, vm.Marker)
	}
	if !strings.Contains(vm.Template, `image="ubuntu-22.04"`) {
		t.Errorf("Template = %q, want the template's ID", vm.Template)
	}
}
