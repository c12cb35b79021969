package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

func TestAttrDiffs(t *testing.T) {
	base := func() *Attrs {
		return &Attrs{Name: "web-0", Host: "hv-01", CPU: 2, MemoryMiB: 2048, DiskGB: 20, Power: driver.PowerRunning,
			Template: "image=a", Tags: map[string]string{"owner": "alice", "tier": "web"}}
	}
	cases := []struct {
		name   string
		change func(a *Attrs)
		want   []AttrDiff
	}{
		{"same", func(*Attrs) {}, nil},
		{"sizes", func(a *Attrs) { a.CPU, a.MemoryMiB, a.DiskGB = 4, 3072, 40 },
			[]AttrDiff{{"cpu", 2, 4}, {"memory_gb", 2.0, 3.0}, {"disk_gb", 20, 40}}},
		{"unknown values are no difference", func(a *Attrs) { a.DiskGB, a.Host, a.Power, a.Template, a.Name = 0, "", "", "", "" }, nil},
		{"power host template name", func(a *Attrs) { a.Power, a.Host, a.Template, a.Name = driver.PowerStopped, "hv-02", "image=b", "web-9" },
			[]AttrDiff{{"name", "web-0", "web-9"}, {"power", "running", "stopped"}, {"host", "hv-01", "hv-02"}, {"template", "image=a", "image=b"}}},
		{"tags one per key", func(a *Attrs) { a.Tags = map[string]string{"owner": "bob", "team": "x"} },
			[]AttrDiff{{"tags.owner", "alice", "bob"}, {"tags.team", nil, "x"}, {"tags.tier", "web", nil}}},
		{"an empty tag value is set", func(a *Attrs) { a.Tags["owner"] = "" }, []AttrDiff{{"tags.owner", "alice", ""}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			after := base()
			tc.change(after)
			if diff := cmp.Diff(tc.want, attrDiffs(base(), after)); diff != "" {
				t.Errorf("attrDiffs (-want +got):\n%s", diff)
			}
		})
	}
}
