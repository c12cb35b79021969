package addrs_test

import (
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/addrs"
)

func TestParseModuleInstanceRoundTrip(t *testing.T) {
	web := addrs.RootModule.Child("web_prod", addrs.NoKey)
	env := addrs.RootModule.Child("env", addrs.StringKey("prod"))
	nested := addrs.RootModule.Child("a", addrs.IntKey(1)).Child("b", addrs.StringKey(`x.y"]`))
	tests := []struct {
		in   string
		want addrs.Instance
	}{
		{"module.web_prod.fleet.web[0]", addrs.Fleet{Module: web, Name: "web"}.Instance(addrs.IntKey(0))},
		{"module.web_prod.fleet.web", addrs.Fleet{Module: web, Name: "web"}.Instance(addrs.NoKey)},
		{"module.web_prod.vm.db-01", addrs.Fleet{Module: web, Kind: addrs.KindVM, Name: "db-01"}.Instance(addrs.NoKey)},
		{`module.env["prod"].fleet.web[0]`, addrs.Fleet{Module: env, Name: "web"}.Instance(addrs.IntKey(0))},
		{`module.env["prod"].fleet.web["a"]`, addrs.Fleet{Module: env, Name: "web"}.Instance(addrs.StringKey("a"))},
		{`module.a[1].module.b["x.y\"]"].fleet.w[3]`, addrs.Fleet{Module: nested, Name: "w"}.Instance(addrs.IntKey(3))},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := addrs.ParseInstance(tt.in)
			if err != nil {
				t.Fatalf("ParseInstance(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseInstance(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want the input %q back", s, tt.in)
			}
			f, err := addrs.ParseFleet(got.Fleet().String())
			if err != nil || f != got.Fleet() {
				t.Errorf("ParseFleet(%q) = %v, %v; want %v", got.Fleet(), f, err, got.Fleet())
			}
			m, err := addrs.ParseModule(got.Fleet().Module.String())
			if err != nil || m != got.Fleet().Module {
				t.Errorf("ParseModule(%q) = %v, %v", got.Fleet().Module, m, err)
			}
		})
	}
}

func TestModuleSteps(t *testing.T) {
	m, err := addrs.ParseModule(`module.a[1].module.b["k"].module.c`)
	if err != nil {
		t.Fatal(err)
	}
	want := []addrs.ModuleStep{{"a", addrs.IntKey(1)}, {"b", addrs.StringKey("k")}, {"c", addrs.NoKey}}
	if diff := cmp.Diff(want, m.Steps(), cmp.AllowUnexported(addrs.Key{})); diff != "" {
		t.Errorf("Steps (-want +got):\n%s", diff)
	}
	if m.Depth() != 3 || !addrs.RootModule.IsRoot() || m.IsRoot() {
		t.Errorf("Depth = %d, or IsRoot is wrong", m.Depth())
	}
	// A key written with other escapes is canonical once parsed.
	if m, _ := addrs.ParseModule(`module.a["\x41"]`); m.String() != `module.a["A"]` {
		t.Errorf(`ParseModule(module.a["\x41"]) = %q`, m)
	}
}

func TestModuleContains(t *testing.T) {
	for _, tt := range []struct {
		module, addr string
		want         bool
	}{
		{"module.a", "module.a.fleet.web[0]", true},
		{"module.a", "module.a[2].fleet.web[0]", true},
		{"module.a", `module.a["x"].module.b.vm.db`, true},
		{"module.a", "module.a", true},
		{"module.a", "module.ab.fleet.web", false},
		{"module.a", "fleet.web", false},
		{"module.a[1]", "module.a[1].fleet.web", true},
		{"module.a[1]", "module.a[10].fleet.web", false},
		{"module.a[1]", "module.a[1]", true},
		{`module.a["x"]`, `module.a["x"].fleet.web`, true},
		{`module.a["x"]`, `module.a["xy"].fleet.web`, false},
		{"", "fleet.web", true},
	} {
		m := addrs.RootModule
		if tt.module != "" {
			var err error
			if m, err = addrs.ParseModule(tt.module); err != nil {
				t.Fatal(err)
			}
		}
		if got := m.Contains(tt.addr); got != tt.want {
			t.Errorf("%q.Contains(%q) = %v, want %v", tt.module, tt.addr, got, tt.want)
		}
	}
}

// Every error names the input and says what to write instead.
func TestParseModuleAddressRefusesHostileInput(t *testing.T) {
	huge := strings.Repeat("k", 100000)
	tests := map[string]string{
		"module.":                         `"" is not a module name`,
		"module":                          "write fleet.module",
		"module.a":                        "module.a is a module: write module.a.fleet.NAME",
		"module.a.":                       "it ends with a dot after",
		"module.a.module":                 "it ends with module and no name: write module.a.module.NAME",
		"module.a.module.":                `"" is not a module name`,
		"module.a[":                       "in module.a: the index or key does not end with ']'",
		"module.a[0":                      "the index or key does not end with ']'",
		`module.a["x`:                     `it has no closing '"'`,
		`module.a["x"`:                    "the index or key does not end with ']'",
		"module.a[01].fleet.w":            "write [1]",
		"module.a[-1].fleet.w":            "count indexes start at 0",
		"module.a[x].fleet.w":             `a for_each key is written in double quotes: ["x"]`,
		"module.a[0]x.fleet.w":            `comes "x.fleet.w"`,
		"module.9a.fleet.w":               `"9a" is not a module name`,
		"module.a b.fleet.w":              `"a b" is not a module name`,
		"module.a.fleet.":                 `"" is not a fleet or vm name`,
		"module.a.fleet.w[0].name":        `but ".name" follows`,
		"module.a.web":                    "does not start with fleet. or vm.",
		"module.a\x1b[2J.fleet.w":         `"a\x1b" is not a module name`,
		`module.a["` + huge + `"`:         "the index or key does not end with ']'",
		"module.a[" + huge + "].fleet.w":  "is not a whole number",
		"module.a.vm.db[0]":               "a vm block has a single instance",
		strings.Repeat("module.a.", 5000): "it ends with a dot",
	}
	for in, want := range tests {
		t.Run(strconv.Quote(in[:min(len(in), 40)]), func(t *testing.T) {
			a, err := addrs.ParseInstance(in)
			if err == nil {
				t.Fatalf("ParseInstance(%.60q) = %.60s, want an error", in, a)
			}
			msg := err.Error()
			if !strings.Contains(msg, want) {
				t.Errorf("ParseInstance(%.60q) error\n  %s\nlacks %q", in, msg, want)
			}
			for _, r := range msg {
				if r < ' ' || r == 0x7f {
					t.Errorf("error %q carries a control character %U", msg, r)
				}
			}
			if len(msg) > 600 {
				t.Errorf("error is %d bytes long: it repeats the whole input", len(msg))
			}
		})
	}
}

func TestParseModuleRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "it is empty: write module.NAME",
		"fleet.web":          "it does not start with module.",
		"module.a.fleet.web": `but ".fleet.web" follows`,
		"module.a[":          "does not end with ']'",
		"module.":            `"" is not a module name`,
	} {
		_, err := addrs.ParseModule(in)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "is not a module address") {
			t.Errorf("ParseModule(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]string{
		"module.a":                        "module.a",
		`module.a["\x41"]`:                `module.a["A"]`,
		"module.a[0].fleet.web":           "module.a[0].fleet.web",
		"module.a.fleet.web[2]":           "module.a.fleet.web[2]",
		"fleet.web[2]":                    "fleet.web[2]",
		"vm.db":                           "vm.db",
		"module.a.module.b[1].vm.db-01":   "module.a.module.b[1].vm.db-01",
		`module.env["prod"].module.inner`: `module.env["prod"].module.inner`,
	} {
		tg, err := addrs.ParseTarget(in)
		if err != nil || tg.String() != want {
			t.Errorf("ParseTarget(%q) = %q, %v; want %q", in, tg, err, want)
		}
	}
	for in, want := range map[string]string{
		"module.a.":    "it ends with a dot",
		"module.":      `"" is not a module name`,
		"fleet.web[":   "does not end with ']'",
		"module.a.web": "does not start with fleet. or vm.",
	} {
		_, err := addrs.ParseTarget(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTarget(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestLessSortsModules(t *testing.T) {
	want := []string{
		"fleet.a", "fleet.web[2]", "vm.db",
		"module.a.fleet.web[0]", "module.a.fleet.web[10]", "module.a.vm.db",
		"module.a.module.b.fleet.x",
		"module.a[2].fleet.web", "module.a[10].fleet.web",
		`module.a["x"].fleet.web`,
		"module.b.fleet.a",
	}
	got := slices.Clone(want)
	rand.New(rand.NewSource(5)).Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	addrs.SortStrings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sorted addresses (-want +got):\n%s", diff)
	}
}

func TestFleetOf(t *testing.T) {
	for in, want := range map[string]string{
		"fleet.web[2]":                     "fleet.web",
		"vm.db":                            "vm.db",
		`fleet.web["a[1]"]`:                "fleet.web",
		"module.a[3].fleet.web[2]":         "module.a[3].fleet.web",
		`module.a["\x41"].fleet.web[2]`:    `module.a["A"].fleet.web`,
		`module.a["[0]"].module.b.vm.db-1`: `module.a["[0]"].module.b.vm.db-1`,
		"junk":                             "",
	} {
		got, ok := addrs.FleetOf(in)
		if got != want || ok != (want != "") {
			t.Errorf("FleetOf(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
