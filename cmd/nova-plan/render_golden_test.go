package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// Values from a spec, a state file or a provider that a terminal would act
// on, or that would make two values print alike.
const (
	esc    = "\x1b]0;owned\x07\x1b[2J"
	csi    = "\u009b31m"
	nel    = "\u0085"
	rlo    = "\u202e"
	forged = "env = \"prod\", team" // a tag key that printed as two tags
)

func hostileAttrs() *plan.Attrs {
	return &plan.Attrs{
		Name: "web" + esc, Provider: "sim.lab", Host: "hv-01" + rlo, CPU: 2, MemoryMiB: 1024, DiskGB: 20,
		Power: driver.PowerRunning, Template: `image="u` + esc + `\x1b"`, TemplateName: "my image",
		Tags: map[string]string{"k" + nel: "v" + csi, "${x}": "%{y}", "ok": "two\nlines"},
	}
}

// hostilePlan has every action with values that must not print raw, and
// two updates whose tags differ only in a way the old rendering hid.
func hostilePlan() *plan.Plan {
	forgedTags := &plan.Attrs{Name: "w", Provider: "sim.lab", CPU: 1, MemoryMiB: 1024, DiskGB: 20, Power: driver.PowerRunning,
		Tags: map[string]string{forged: "web"}}
	twoTags := forgedTags.Clone()
	twoTags.Tags = map[string]string{"env": "prod", "team": "web"}
	moved := hostileAttrs()
	moved.Host = "hv 02"
	return &plan.Plan{
		Warnings: []string{"targeting " + esc},
		Changes: []*plan.Change{
			{Address: `fleet.web["` + rlo + `"]`, Action: plan.Create, After: hostileAttrs()},
			{Address: "vm.w", Action: plan.Update, ID: "vm-1", Before: forgedTags, After: twoTags, Reasons: []string{"tags"}},
			{Address: "vm.m", Action: plan.Migrate, ID: "vm-2" + rlo, Before: hostileAttrs(), After: moved, Reasons: []string{"host " + esc}},
			{Address: "vm.d", Action: plan.Delete, ID: "vm-3", Before: hostileAttrs(), Reasons: []string{"gone " + csi}},
		},
	}
}

// TestRenderingEscapesGolden: plan text, show, state show, inventory and
// outputs print every value from outside quoted and escaped (B1, B2): tag
// keys with '=' and quotes printed as two tags, so a change to those two
// real tags planned an update with no attribute line; ESC, U+009B, U+0085
// and U+202E in names, hosts and tags reached the terminal raw.
func TestRenderingEscapesGolden(t *testing.T) {
	var out bytes.Buffer
	u := &ui{out: &out, err: &out}
	u.renderPlan(&out, hostilePlan())

	out.WriteString("\n--- show / state show\n")
	out.WriteString(stateText(`fleet.web["`+esc+`"]`, &state.VM{
		Provider: "sim.lab", ID: "vm" + rlo, Name: "db" + nel, Host: "hv" + csi, Template: `image="` + esc + `"`,
		CPU: 1, MemoryMiB: 1024, DiskGB: 20, Power: "running" + esc, Tags: map[string]string{forged: "web", "t": "\t"},
	}))

	out.WriteString("--- inventory\n")
	if err := renderInventory(&out, []jsonInventoryVM{
		{Provider: "sim.lab", ID: "vm-1", Name: "plain", Host: "hv-01", CPU: 1, MemoryGB: 1, Power: "running"},
		{Provider: "sim.lab", ID: "vm-2" + rlo, Name: "web" + esc, Host: "hv" + csi, CPU: 1, MemoryGB: 1, Power: "running", Address: "vm.x" + nel},
		{Provider: "sim.lab", ID: "vm-3", Name: "two  spaces\tand a tab", Host: "hv-01", CPU: 1, MemoryGB: 1, Power: "stopped"},
	}); err != nil {
		t.Fatal(err)
	}

	out.WriteString("\n--- outputs\n")
	tags := cty.MapVal(map[string]cty.Value{forged: cty.StringVal(esc), "plain": cty.StringVal(rlo)})
	out.WriteString(formatValue(spec.OutputValue{Name: "tags", Value: tags}) + "\n")

	golden(t, "escaped.txt", out.String())
	mustBePrintable(t, out.String())
}

// No two different changes render alike: the update of the forged tag key
// to the two real tags shows an attribute line.
func TestRenderingIsOneToOne(t *testing.T) {
	p := hostilePlan()
	update := p.Changes[1]
	lines := attrLines(update)
	if len(lines) != 2 || !strings.Contains(lines[1].text, `{"env = \"prod\", team" = "web"} → {env = "prod", team = "web"}`) {
		t.Errorf("the tag change renders as %+v", lines)
	}
	for _, pair := range [][2]string{
		{"a\x1bb", `a\x1bb`}, {"a\u202eb", `a\u202eb`}, {"a\\x1b", "a\x1b"}, {"a\nb", `a\nb`}, {"${x}", "$${x}"}, {`a"b`, `a\"b`},
	} {
		if quoted(pair[0]) == quoted(pair[1]) {
			t.Errorf("%q and %q both render as %s", pair[0], pair[1], quoted(pair[0]))
		}
	}
	for _, pair := range [][2]map[string]string{
		{{forged: "web"}, {"env": "prod", "team": "web"}},
		{{"a": "b, c = d"}, {"a": "b", "c": "d"}},
	} {
		if formatTags(pair[0]) == formatTags(pair[1]) {
			t.Errorf("%v and %v both render as %s", pair[0], pair[1], formatTags(pair[0]))
		}
	}
}

// Through the binary: a change of tags that printed alike shows what
// changes (B1), and names from a provider reach the terminal escaped, in
// text and in JSON (B2).
func TestRenderingThroughTheCLI(t *testing.T) {
	tagged := func(tags string) string {
		return simHead + "vm \"w\" {\n  template  = template.u\n  cpu       = 1\n  memory_gb = 1\n  tags      = " + tags + "\n}\n"
	}
	dir := newDir(t, tagged(`{ "env = \"prod\", team" = "web", "\u202e" = "x" }`))
	r := nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	mustSay(t, r.Stdout, `tags      = {"env = \"prod\", team" = "web", "\u202e" = "x"}`)
	mustBePrintable(t, r.Stdout)

	writeSpec(t, dir, tagged(`{ env = "prod", team = "web", "\u202e" = "x" }`))
	r = nova(t, dir, "plan").Must(t, 0, "plan")
	mustSay(t, r.Stdout, `~ tags      = {"env = \"prod\", team" = "web", "\u202e" = "x"} → {env = "prod", team = "web", "\u202e" = "x"}`)
	r = nova(t, dir, "show").Must(t, 0, "show")
	mustSay(t, r.Stdout, `tags      = {"env = \"prod\", team" = "web", "\u202e" = "x"}`)
	mustBePrintable(t, r.Stdout)

	for _, name := range []string{"evil" + esc, "evil" + csi, "evil" + nel + rlo} {
		handMade(t, dir, driver.Config{}, driver.VMSpec{Name: name, CPU: 1, MemoryMiB: 1024})
	}
	r = nova(t, dir, "inventory").Must(t, 0, "inventory")
	mustSay(t, r.Stdout, `"evil\u001b]0;owned\u0007\u001b[2J"`, `"evil\u009b31m"`, `"evil\u0085\u202e"`)
	mustBePrintable(t, r.Stdout)
	r = nova(t, dir, "inventory", "-json").Must(t, 0, "inventory -json")
	mustSay(t, r.Stdout, `"evil\u001b]0;owned\u0007\u001b[2J"`, `"evil\u009b31m"`, `"evil\u0085\u202e"`)
	mustBePrintable(t, r.Stdout)
	var inv inventoryDoc
	mustJSON(t, r.Stdout, &inv)
	found := 0
	for _, vm := range inv.VMs {
		if strings.HasPrefix(vm.Name, "evil") && (vm.Name == "evil"+esc || vm.Name == "evil"+csi || vm.Name == "evil"+nel+rlo) {
			found++
		}
	}
	if found != 3 {
		t.Errorf("inventory -json decodes to %d of the 3 names; the escapes must decode to the same strings", found)
	}
}
