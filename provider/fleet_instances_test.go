package provider

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

func TestFleetShapeBuild(t *testing.T) {
	four, mib := 4, int64(512)
	cases := map[string]struct {
		shape     fleetShape
		wantNames []string
		wantAddrs []string
		wantErr   string
	}{
		"count, default pattern": {
			shape:     fleetShape{name: "web", instances: countKeys(3)},
			wantNames: []string{"web-0", "web-1", "web-2"},
			wantAddrs: []string{"fleet.web[0]", "fleet.web[1]", "fleet.web[2]"},
		},
		"keyed, default pattern": {
			shape:     fleetShape{name: "db", keyed: true, instances: []instanceSpec{{key: "a"}, {key: "b"}}},
			wantNames: []string{"db-a", "db-b"},
			wantAddrs: []string{`fleet.db["a"]`, `fleet.db["b"]`},
		},
		"pattern with every placeholder and a name override": {
			shape: fleetShape{name: "db", keyed: true, pattern: "{fleet}.{key}.{index}",
				instances: []instanceSpec{{key: "a"}, {key: "b", name: "primary"}}},
			wantNames: []string{"db.a.0", "primary"},
			wantAddrs: []string{`fleet.db["a"]`, `fleet.db["b"]`},
		},
		"duplicate names": {
			shape:   fleetShape{name: "web", pattern: "{fleet}", instances: countKeys(2)},
			wantErr: `fleet.web[0] and fleet.web[1] would both be named "web"`,
		},
		"invalid name": {
			shape:   fleetShape{name: "web", pattern: "-{index}", instances: countKeys(1)},
			wantErr: `would be named "-0", which is not a valid VM name`,
		},
		"overrides": {
			shape: fleetShape{name: "w", keyed: true, cpu: 1, memoryMiB: 1024, power: driver.PowerRunning,
				tags: map[string]string{"t": "1"}, instances: []instanceSpec{{key: "x", cpu: &four, memoryMiB: &mib,
					power: driver.PowerStopped, host: "hv-9", tags: map[string]string{"u": "2"}}}},
			wantNames: []string{"w-x"},
			wantAddrs: []string{`fleet.w["x"]`},
		},
	}
	for name, tc := range cases {
		f := &spec.Fleet{Name: tc.shape.name}
		err := tc.shape.build(f)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want one containing %q", name, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var names, addrs []string
		for _, inst := range f.Instances {
			names, addrs = append(names, inst.Name), append(addrs, inst.Address)
			if instanceKey(inst.Address) != tc.shape.instances[inst.Index].key {
				t.Errorf("%s: instanceKey(%s) = %s", name, inst.Address, instanceKey(inst.Address))
			}
		}
		if d := cmp.Diff(tc.wantNames, names); d != "" {
			t.Errorf("%s: names (-want +got):\n%s", name, d)
		}
		if d := cmp.Diff(tc.wantAddrs, addrs); d != "" {
			t.Errorf("%s: addresses (-want +got):\n%s", name, d)
		}
		if name == "overrides" {
			got := *f.Instances[0]
			got.Fleet = nil
			want := spec.Instance{Address: `fleet.w["x"]`, Key: "x", Name: "w-x", Host: "hv-9", CPU: 4, MemoryMiB: 512,
				Power: driver.PowerStopped, Tags: map[string]string{"t": "1", "u": "2"}}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("overridden instance (-want +got):\n%s", d)
			}
		}
	}
}

func TestInferPattern(t *testing.T) {
	cases := []struct {
		keyed       bool
		keys, names []string
		want        string
	}{
		{false, []string{"0", "1"}, []string{"web-0", "web-1"}, ""}, // the default
		{false, []string{"0", "1"}, []string{"web-0-eu", "web-1-eu"}, "{fleet}-{index}-eu"},
		{true, []string{"a", "b"}, []string{"web-a", "web-b"}, ""},
		{true, []string{"a", "b"}, []string{"x-a", "y-b"}, ""}, // no one pattern
		{false, []string{"0", "1"}, []string{"node10", "node11"}, "node1{index}"},
	}
	for _, tc := range cases {
		if got := inferPattern("web", tc.keyed, tc.keys, tc.names); got != tc.want {
			t.Errorf("inferPattern(%v) = %q, want %q", tc.names, got, tc.want)
		}
	}
}
