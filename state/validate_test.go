package state_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

// validDoc is a document every rule accepts: counted, keyed and single
// instances, and a dependency.
func validDoc() *state.State {
	s := state.New("lin-1")
	s.Serial = 4
	s.VMs["fleet.web[0]"] = testVM(0)
	s.VMs["fleet.web[10]"] = testVM(10)
	s.VMs[`fleet.app["eu-west \"1\""]`] = &state.VM{Provider: "libvirt.rack 1", ID: "uuid-1", Fleet: "fleet.app"}
	s.VMs[`fleet.app["ünïcode"]`] = &state.VM{Provider: "libvirt.rack 1", ID: "uuid-2", Fleet: "fleet.app"}
	s.VMs["fleet.solo"] = &state.VM{Provider: "sim.lab", ID: "vm-solo", Fleet: "fleet.solo"}
	s.VMs["vm.db-01"] = &state.VM{Provider: "sim.lab", ID: "vm-db", Fleet: "vm.db-01", DependsOn: []string{"vm.x_y"}}
	// The same id on another provider is another VM.
	s.VMs["fleet.web[2]"] = &state.VM{Provider: "sim.other", ID: "vm-00000", Fleet: "fleet.web"}
	return s
}

func TestValidateAccepts(t *testing.T) {
	if err := state.Validate(validDoc()); err != nil {
		t.Fatalf("Validate of a valid document: %v", err)
	}
	if err := state.Validate(state.New("fresh")); err != nil {
		t.Errorf("Validate of a new document: %v", err)
	}
}

func TestValidateRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *state.State)
		want   []string // "FIELD | what contains | fix contains"
	}{
		{"no lineage", func(s *state.State) { s.Lineage = "" },
			[]string{`lineage | is missing | set "lineage" to the lineage in the ownership markers`}},
		{"blank lineage, no VMs", func(s *state.State) { s.Lineage, s.VMs = " ", nil },
			[]string{"lineage | is missing | records no VMs: remove it"}},
		{"format 0", func(s *state.State) { s.FormatVersion = 0 },
			[]string{"format_version | is 0, which is not a NovaCron state format | backup"}},
		{"newer format", func(s *state.State) { s.FormatVersion = state.FormatVersion + 1 },
			[]string{fmt.Sprintf("format_version | is %d, but this build reads format_version %d | newer NovaCron", state.FormatVersion+1, state.FormatVersion)}},
		{"serial too large", func(s *state.State) { s.Serial = state.MaxSerial + 1 },
			[]string{"serial | is 9007199254740993, beyond 9007199254740992 | backup"}},
		{"same VM at two addresses", func(s *state.State) { s.VMs["fleet.web[5]"] = testVM(0) },
			[]string{`vms["fleet.web[0]"] and vms["fleet.web[5]"] | both record VM vm-00000 of provider sim.lab | Remove all but one`}},
		{"same VM at three addresses", func(s *state.State) {
			s.VMs["fleet.web[5]"], s.VMs["vm.copy"] = testVM(0), testVM(0)
			s.VMs["vm.copy"].Fleet = "vm.copy"
		},
			[]string{`vms["fleet.web[0]"] and vms["fleet.web[5]"] and vms["vm.copy"] | all record VM vm-00000 | Remove all but one`}},
		{"null VM", func(s *state.State) { s.VMs["vm.gone"] = nil },
			[]string{`vms["vm.gone"] | is null | Remove the entry`}},
		{"empty id", func(s *state.State) { s.VMs["fleet.web[0]"].ID = "" },
			[]string{`vms["fleet.web[0]"].id | is empty | adopts it`}},
		{"provider without name", func(s *state.State) { s.VMs["fleet.web[0]"].Provider = "sim" },
			[]string{`vms["fleet.web[0]"].provider | "sim" is not a provider key TYPE.NAME | TYPE.NAME`}},
		{"provider empty", func(s *state.State) { s.VMs["fleet.web[0]"].Provider = "" },
			[]string{`vms["fleet.web[0]"].provider | "" is not a provider key | TYPE.NAME`}},
		{"fleet of another address", func(s *state.State) { s.VMs["fleet.web[0]"].Fleet = "fleet.db" },
			[]string{`vms["fleet.web[0]"].fleet | is "fleet.db", but the address belongs to fleet.web | Set it to "fleet.web"`}},
		{"bad depends_on", func(s *state.State) { s.VMs["fleet.web[0]"].DependsOn = []string{"fleet.db", "db"} },
			[]string{`vms["fleet.web[0]"].depends_on[1] | is "db", not a fleet address | fleet.NAME or vm.NAME`}},
		{"several problems, in field order", func(s *state.State) {
			s.Lineage = ""
			s.VMs["vm.db-01"].ID = ""
			s.VMs["fleet.web[0]"].Fleet = ""
		}, []string{
			"lineage | is missing | backup",
			`vms["fleet.web[0]"].fleet | is "" | Set it to "fleet.web"`,
			`vms["vm.db-01"].id | is empty | Restore`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validDoc()
			tt.change(s)
			wantProblems(t, state.Validate(s), tt.want)
		})
	}
}

func TestValidateAddresses(t *testing.T) {
	bad := map[string]string{
		"web[0]":                     "it does not start with fleet. or vm.",
		"fleet.":                     `"" is not a fleet or vm name`,
		"fleet.9web[0]":              `"9web" is not a fleet or vm name`,
		"fleet.we b[0]":              `"we b" is not a fleet or vm name`,
		"fleet.web.x":                `"web.x" is not a fleet or vm name`,
		"fleet.web[01]":              `the index "01" is not a whole number`,
		"fleet.web[-1]":              `the index "-1" is not a whole number`,
		"fleet.web[]":                `the index "" is not a whole number`,
		"fleet.web[ 1]":              `the index " 1" is not a whole number`,
		"fleet.web[1":                "the index or key does not end with ']'",
		"fleet.web[1]x":              "the index or key does not end with ']'",
		"fleet.web['a']":             `the index "'a'" is not a whole number`,
		`fleet.web["a]`:              `the key "a is not a quoted string`,
		`fleet.web["\x41"]`:          `the key "\x41" is not a quoted string as the spec writes it`,
		"vm.db[0]":                   "a vm block has a single instance",
		"module.x.web":               "it does not start with fleet. or vm.",
		`module.x["\x41"].fleet.web`: `a module's key is not a quoted string as the spec writes it: write module.x["A"].fleet.web`,
	}
	for addr, want := range bad {
		t.Run(addr, func(t *testing.T) {
			s := state.New("lin")
			s.Serial = 1
			s.VMs[addr] = &state.VM{Provider: "sim.lab", ID: "vm-1", Fleet: "fleet.web"}
			wantProblems(t, state.Validate(s), []string{fmt.Sprintf("vms[%q] | is not a VM address: %s | fleet.NAME[N]", addr, want)})
		})
	}
}

// wantProblems checks err is an *InvalidError with the problems described
// by want, each "FIELD | text in What | text in Fix".
func wantProblems(t *testing.T, err error, want []string) {
	t.Helper()
	var invalid *state.InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("Validate = %v, want an *state.InvalidError", err)
	}
	var got []string
	for i, p := range invalid.Problems {
		what := p.What
		if p.Line > 0 {
			what += fmt.Sprintf(" (line %d)", p.Line)
		}
		g := p.Field + " | " + what + " | " + p.Fix
		if i < len(want) {
			if parts := strings.Split(want[i], " | "); p.Field == parts[0] &&
				strings.Contains(what, parts[1]) && strings.Contains(p.Fix, parts[2]) {
				g = want[i]
			}
		}
		got = append(got, g)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	for _, p := range invalid.Problems {
		if !strings.Contains(err.Error(), p.String()) {
			t.Errorf("the error text lacks the problem %q:\n%s", p, err)
		}
	}
}

func TestInvalidErrorListsAtMost20(t *testing.T) {
	s := state.New("lin")
	s.Serial = 1
	for i := range 25 {
		s.VMs[fmt.Sprintf("vm.v%02d", i)] = &state.VM{Provider: "sim.lab", Fleet: fmt.Sprintf("vm.v%02d", i)}
	}
	err := state.Validate(s)
	text := err.Error()
	if n := strings.Count(text, "\n- "); n != 21 {
		t.Errorf("the error has %d lines, want 20 problems and one more line:\n%s", n, text)
	}
	if !strings.HasSuffix(text, "\n- and 5 more problems") || !strings.HasPrefix(text, "the state document cannot be used, and was left untouched:") {
		t.Errorf("the error does not begin and end as it should:\n%s", text)
	}
}

// BenchmarkValidate10k validates a 10,000-VM document, as every read and
// write does.
func BenchmarkValidate10k(b *testing.B) {
	s := state.New("lin")
	s.Serial = 1
	for i := range 10_000 {
		s.VMs[addr(i)] = testVM(i)
	}
	for b.Loop() {
		if err := state.Validate(s); err != nil {
			b.Fatal(err)
		}
	}
}
