package jsonformat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// FormatVersion is the version of the documents -json prints
// (docs/json-format.md). Adding fields is compatible; anything else bumps it.
const FormatVersion = "1.0"

type Plan struct {
	FormatVersion string         `json:"format_version"`
	Changes       []Change       `json:"changes"`
	Summary       map[string]int `json:"summary"`
	Warnings      []string       `json:"warnings"`
	// Cost sums the changes' costs, when a provider of the plan has prices.
	Cost *plan.PlanCost `json:"cost,omitempty"`
}

type Change struct {
	Address  string `json:"address"`
	Action   string `json:"action"`
	Provider string `json:"provider"`
	// PreviousProvider is the provider a replace moves the VM from, when
	// it is not Provider (a fleet moved to another platform).
	PreviousProvider string `json:"previous_provider,omitempty"`
	// PreviousAddress is the address a moved block moved the VM from: on
	// a move, and on every other change of the VM in the same plan.
	PreviousAddress     string   `json:"previous_address,omitempty"`
	ID                  string   `json:"id,omitempty"`
	Before              *VM      `json:"before"`
	After               *VM      `json:"after"`
	Reasons             []string `json:"reasons"`
	Restart             bool     `json:"restart"`
	Live                bool     `json:"live"`
	CreateBeforeDestroy bool     `json:"create_before_destroy"`
	Batch               int      `json:"batch"`
	// Importing is set on an adopt that imports a VM (an import block or
	// nova-plan import), as in Terraform's plan JSON.
	Importing *Importing `json:"importing,omitempty"`
	// Cost is the change's monthly cost delta, when its provider has prices.
	Cost *plan.Cost `json:"cost,omitempty"`
	// Burst marks a VM planned on the fleet's burst_to provider, changed
	// there, or brought back from it.
	Burst bool `json:"burst,omitempty"`
}

type Importing struct {
	ID string `json:"id"`
}

type VM struct {
	Name     string  `json:"name"`
	Host     string  `json:"host"`
	CPU      int     `json:"cpu"`
	MemoryGB float64 `json:"memory_gb"`
	DiskGB   int     `json:"disk_gb"`
	Power    string  `json:"power"`
	Template string  `json:"template"`
	// TemplateName is the spec's name for the template, when known.
	TemplateName string            `json:"template_name,omitempty"`
	Tags         map[string]string `json:"tags"`
}

func attrsVM(a *plan.Attrs) *VM {
	if a == nil {
		return nil
	}
	tags := a.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return &VM{
		Name: a.Name, Host: a.Host, CPU: a.CPU, MemoryGB: float64(a.MemoryMiB) / 1024,
		DiskGB: a.DiskGB, Power: string(a.Power), Template: a.Template, TemplateName: a.TemplateName, Tags: tags,
	}
}

func WritePlan(w io.Writer, p *plan.Plan) error {
	return Write(w, PlanDocument(p))
}

// PlanDocument is the plan document of docs/json-format.md: what plan
// -json prints, what policies read, and what the server returns for a plan.
func PlanDocument(p *plan.Plan) Plan {
	doc := Plan{FormatVersion: FormatVersion, Changes: []Change{}, Summary: map[string]int{}, Warnings: p.Warnings, Cost: p.Cost}
	if doc.Warnings == nil {
		doc.Warnings = []string{}
	}
	for a, n := range p.Summary() {
		doc.Summary[a.String()] = n
	}
	for _, c := range p.Changes {
		jc := Change{
			Address: c.Address, Action: c.Action.String(), Provider: c.Provider(), ID: c.ID,
			Before: attrsVM(c.Before), After: attrsVM(c.After), Reasons: c.Reasons,
			Restart: c.Restart, Live: c.Live, CreateBeforeDestroy: c.CreateBeforeDestroy, Batch: c.Batch,
			Cost: c.Cost, Burst: c.Burst,
		}
		if c.Before != nil && c.After != nil && c.Before.Provider != c.After.Provider {
			jc.PreviousProvider = c.Before.Provider
		}
		if c.Imported && c.Action == plan.Adopt && c.PreviousAddress == "" {
			jc.Importing = &Importing{ID: c.ID}
		}
		jc.PreviousAddress = c.PreviousAddress
		doc.Changes = append(doc.Changes, jc)
	}
	return doc
}

type Inventory struct {
	FormatVersion string        `json:"format_version"`
	VMs           []InventoryVM `json:"vms"`
}

type InventoryVM struct {
	Provider string  `json:"provider"`
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Host     string  `json:"host"`
	CPU      int     `json:"cpu"`
	MemoryGB float64 `json:"memory_gb"`
	DiskGB   int     `json:"disk_gb"`
	Power    string  `json:"power"`
	Address  string  `json:"address"`
	// OwnerLineage and OwnerAddress are the marker of another workspace
	// that owns the VM.
	OwnerLineage string `json:"owner_lineage,omitempty"`
	OwnerAddress string `json:"owner_address,omitempty"`
}

// InventoryRows flattens inventories; address is set for VMs this
// workspace owns, owner_* for those another workspace's marker claims.
func InventoryRows(invs map[string]driver.Inventory, st *state.State) []InventoryVM {
	lineage := ""
	if st != nil {
		lineage = st.Lineage
	}
	rows := []InventoryVM{}
	for pk, inv := range invs {
		for _, vm := range inv.VMs {
			row := InventoryVM{
				Provider: pk, ID: vm.ID, Name: vm.Name, Host: vm.Host, CPU: vm.CPU,
				MemoryGB: float64(vm.MemoryMiB) / 1024, DiskGB: vm.DiskGB, Power: string(vm.Power),
			}
			switch m := vm.Marker; {
			case m == nil || m.Lineage == "":
			case m.Lineage != lineage:
				row.OwnerLineage, row.OwnerAddress = m.Lineage, m.Address
			case !st.IsAbandoned(pk, vm.ID):
				row.Address = m.Address
			}
			rows = append(rows, row)
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Provider != rows[j].Provider {
			return rows[i].Provider < rows[j].Provider
		}
		return rows[i].Name < rows[j].Name || (rows[i].Name == rows[j].Name && rows[i].ID < rows[j].ID)
	})
	return rows
}

type State struct {
	FormatVersion string    `json:"format_version"`
	Lineage       string    `json:"lineage"`
	Serial        uint64    `json:"serial"`
	VMs           []StateVM `json:"vms"`
}

type StateVM struct {
	Address  string `json:"address"`
	Provider string `json:"provider"`
	ID       string `json:"id"`
	VM
}

func WriteState(w io.Writer, st *state.State) error {
	doc := State{FormatVersion: FormatVersion, VMs: []StateVM{}}
	if st != nil {
		doc.Lineage, doc.Serial = st.Lineage, st.Serial
		for _, addr := range sortedAddresses(st) {
			vm := st.VMs[addr]
			doc.VMs = append(doc.VMs, StateVM{Address: addr, Provider: vm.Provider, ID: vm.ID, VM: *stateVM(vm)})
		}
	}
	return Write(w, doc)
}

func stateVM(vm *state.VM) *VM {
	tags := vm.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return &VM{
		Name: vm.Name, Host: vm.Host, CPU: vm.CPU, MemoryGB: float64(vm.MemoryMiB) / 1024,
		DiskGB: vm.DiskGB, Power: vm.Power, Template: vm.Template, Tags: tags,
	}
}

func sortedAddresses(st *state.State) []string {
	out := st.Addresses()
	addrs.SortStrings(out)
	return out
}

// Write writes v as indented JSON. encoding/json escapes C0 control
// characters and U+2028/U+2029 but leaves C1 controls (U+009B starts a
// terminal sequence, as ESC [ does) and the bidirectional overrides raw: they
// are escaped too, which JSON readers decode to the same strings.
func Write(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(EscapeHidden(buf.Bytes()))
	return err
}

// EscapeHidden writes C1 controls and the characters that reorder or hide
// text as \uXXXX escapes; in JSON they can only be inside strings.
func EscapeHidden(doc []byte) []byte {
	if !bytes.ContainsFunc(doc, func(r rune) bool { return (r >= 0x80 && r <= 0x9f) || Hidden(r) }) {
		return doc
	}
	var out bytes.Buffer
	for len(doc) > 0 {
		r, size := utf8.DecodeRune(doc)
		if (r >= 0x80 && r <= 0x9f) || Hidden(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.Write(doc[:size])
		}
		doc = doc[size:]
	}
	return out.Bytes()
}

// Hidden reports the characters that reorder or hide text: the line and
// paragraph separators and the bidirectional overrides and isolates.
func Hidden(r rune) bool {
	return r == 0x2028 || r == 0x2029 || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
