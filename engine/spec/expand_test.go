package spec

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// inst is the part of an Instance the expansion tests compare.
type inst struct {
	Address   string
	Index     int
	Key       string
	Name      string
	Host      string
	CPU       int
	MemoryMiB int64
	DiskGB    int
	Power     driver.Power
	Tags      map[string]string
}

func instances(s *Spec) []inst {
	var out []inst
	for _, f := range s.Fleets {
		for _, i := range f.Instances {
			if i.Fleet != f {
				panic("instance " + i.Address + " does not point back at its fleet")
			}
			out = append(out, inst{
				Address: i.Address, Index: i.Index, Key: i.Key, Name: i.Name, Host: i.Host,
				CPU: i.CPU, MemoryMiB: i.MemoryMiB, DiskGB: i.DiskGB, Power: i.Power, Tags: i.Tags,
			})
		}
	}
	return out
}

// vm2 is a running 2-CPU, 1 GiB VM with the default disk and no tags.
func vm2(addr string, index int, key, name string) inst {
	return inst{Address: addr, Index: index, Key: key, Name: name, CPU: 2, MemoryMiB: 1024,
		DiskGB: DefaultDiskGB, Power: driver.PowerRunning, Tags: map[string]string{}}
}

func TestExpand(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []inst
	}{{
		name: "count with default names",
		src: `fleet "web" {
  count = 3
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
}`,
		want: []inst{
			vm2("fleet.web[0]", 0, "", "web-0"),
			vm2("fleet.web[1]", 1, "", "web-1"),
			vm2("fleet.web[2]", 2, "", "web-2"),
		},
	}, {
		name: "count zero",
		src: `fleet "web" {
  count = 0
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
}`,
	}, {
		name: "count with a name pattern",
		src: `fleet "web" {
  count = 2
  name = format("web-%02d", count.index + 1)
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
}`,
		want: []inst{vm2("fleet.web[0]", 0, "", "web-01"), vm2("fleet.web[1]", 1, "", "web-02")},
	}, {
		name: "for_each map with each.key and each.value",
		src: `fleet "web" {
  for_each = { b = "blue", a = "amber" }
  name = "${each.key}-${each.value}"
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
}`,
		want: []inst{vm2(`fleet.web["a"]`, 0, "a", "a-amber"), vm2(`fleet.web["b"]`, 1, "b", "b-blue")},
	}, {
		name: "for_each set of strings with default names",
		src: `fleet "web" {
  for_each = toset(["eu", "us", "eu"])
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
}`,
		want: []inst{vm2(`fleet.web["eu"]`, 0, "eu", "web-eu"), vm2(`fleet.web["us"]`, 1, "us", "web-us")},
	}, {
		name: "for_each list of strings: duplicates once, in list order",
		src: `fleet "web" {
  for_each = ["us", "eu", "us"]
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
}`,
		want: []inst{vm2(`fleet.web["us"]`, 0, "us", "web-us"), vm2(`fleet.web["eu"]`, 1, "eu", "web-eu")},
	}, {
		name: "for_each built with range and tostring",
		src: `fleet "web" {
  for_each = toset([for i in range(2) : tostring(i * 10)])
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
}`,
		want: []inst{vm2(`fleet.web["0"]`, 0, "0", "web-0"), vm2(`fleet.web["10"]`, 1, "10", "web-10")},
	}, {
		name: "vm block with the label as name",
		src: `vm "db-01" {
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
  host = "hv-02"
}`,
		want: []inst{func() inst { i := vm2("vm.db-01", 0, "", "db-01"); i.Host = "hv-02"; return i }()},
	}, {
		name: "single fleet without count",
		src: `fleet "solo" {
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
}`,
		want: []inst{vm2("fleet.solo", 0, "", "solo")},
	}, {
		name: "sizes, power, disk and merged tags",
		src: `
locals {
  common = { team = "infra", env = "dev" }
}
fleet "web" {
  count = 2
  template = template.ubuntu-22.04
  cpu = 1 + 3
  memory_gb = 0.5
  disk_gb = 40
  power = "stopped"
  tags = merge(local.common, { env = "prod", slot = tostring(count.index) })
}`,
		want: []inst{
			{Address: "fleet.web[0]", Index: 0, Name: "web-0", CPU: 4, MemoryMiB: 512, DiskGB: 40, Power: driver.PowerStopped,
				Tags: map[string]string{"team": "infra", "env": "prod", "slot": "0"}},
			{Address: "fleet.web[1]", Index: 1, Name: "web-1", CPU: 4, MemoryMiB: 512, DiskGB: 40, Power: driver.PowerStopped,
				Tags: map[string]string{"team": "infra", "env": "prod", "slot": "1"}},
		},
	}, {
		name: "per-instance sizes from each.value",
		src: `fleet "db" {
  for_each = { small = { cpu = 1, mem = 0.25 }, big = { cpu = 8, mem = 1.5 } }
  template = template.ubuntu-22.04
  cpu = each.value.cpu
  memory_gb = each.value.mem
  host = lookup({ big = "hv-09" }, each.key, "")
}`,
		want: []inst{
			{Address: `fleet.db["big"]`, Index: 0, Key: "big", Name: "db-big", Host: "hv-09", CPU: 8, MemoryMiB: 1536,
				DiskGB: DefaultDiskGB, Power: driver.PowerRunning, Tags: map[string]string{}},
			{Address: `fleet.db["small"]`, Index: 1, Key: "small", Name: "db-small", CPU: 1, MemoryMiB: 256,
				DiskGB: DefaultDiskGB, Power: driver.PowerRunning, Tags: map[string]string{}},
		},
	}, {
		name: "locals referring to locals and variables, with functions",
		src: `
variable "env" {
  type = string
  default = "stage"
}
locals {
  name   = upper(local.prefix)
  prefix = join("-", [var.env, "api"])
}
vm "api" {
  name = lower(format("%s-%s", local.name, "1"))
  template = template.ubuntu-22.04
  cpu = 2
  memory_gb = 1
  tags = { env = var.env, upper = local.name }
}`,
		want: []inst{{Address: "vm.api", Name: "stage-api-1", CPU: 2, MemoryMiB: 1024, DiskGB: DefaultDiskGB,
			Power: driver.PowerRunning, Tags: map[string]string{"env": "stage", "upper": "STAGE-API"}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, map[string]string{"main.nova.hcl": simPreamble + tt.src}, Options{})
			if diff := cmp.Diff(tt.want, instances(s)); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExpandStaticAndPerInstance checks that attributes that do not
// depend on count are still right on every instance, and that per-instance
// ones differ.
func TestExpandStaticAndPerInstance(t *testing.T) {
	s := mustLoad(t, map[string]string{"main.nova.hcl": simPreamble + `
fleet "web" {
  count     = 3
  template  = template.ubuntu-22.04
  cpu       = 2
  memory_gb = count.index + 1
  tags      = { static = "yes" }
}`}, Options{})
	var got []int64
	for _, i := range s.Fleets[0].Instances {
		got = append(got, i.MemoryMiB)
		if i.CPU != 2 || i.Tags["static"] != "yes" {
			t.Errorf("%s: CPU %d, tags %v: the static attributes were lost", i.Address, i.CPU, i.Tags)
		}
	}
	if diff := cmp.Diff([]int64{1024, 2048, 3072}, got); diff != "" {
		t.Errorf("MemoryMiB per instance (-want +got):\n%s", diff)
	}
	// A change to one instance's tags is not a change to all (they share
	// one read-only map until SetTag gives the changed one its own).
	s.Fleets[0].Instances[0].SetTag("static", "changed")
	if got := s.Fleets[0].Instances[0].Tags["static"]; got != "changed" {
		t.Errorf("SetTag left tag static = %q, want changed", got)
	}
	if s.Fleets[0].Instances[1].Tags["static"] != "yes" {
		t.Error("instances share one tags map")
	}
}
