package main

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

// JSONFormatVersion is the version of the documents -json prints
// (docs/json-format.md). Adding fields is compatible; anything else bumps it.
const JSONFormatVersion = "1.0"

type jsonPlan struct {
	FormatVersion string         `json:"format_version"`
	Changes       []jsonChange   `json:"changes"`
	Summary       map[string]int `json:"summary"`
	Warnings      []string       `json:"warnings"`
}

type jsonChange struct {
	Address  string `json:"address"`
	Action   string `json:"action"`
	Provider string `json:"provider"`
	// PreviousProvider is the provider a replace moves the VM from, when
	// it is not Provider (a fleet moved to another platform).
	PreviousProvider    string   `json:"previous_provider,omitempty"`
	ID                  string   `json:"id,omitempty"`
	Before              *jsonVM  `json:"before"`
	After               *jsonVM  `json:"after"`
	Reasons             []string `json:"reasons"`
	Restart             bool     `json:"restart"`
	Live                bool     `json:"live"`
	CreateBeforeDestroy bool     `json:"create_before_destroy"`
	Batch               int      `json:"batch"`
	// Importing is set on an adopt that imports a VM (an import block or
	// nova-plan import), as in Terraform's plan JSON.
	Importing *jsonImporting `json:"importing,omitempty"`
}

type jsonImporting struct {
	ID string `json:"id"`
}

type jsonVM struct {
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

func toJSONVM(a *plan.Attrs) *jsonVM {
	if a == nil {
		return nil
	}
	tags := a.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return &jsonVM{
		Name: a.Name, Host: a.Host, CPU: a.CPU, MemoryGB: float64(a.MemoryMiB) / 1024,
		DiskGB: a.DiskGB, Power: string(a.Power), Template: a.Template, TemplateName: a.TemplateName, Tags: tags,
	}
}

func writePlanJSON(w io.Writer, p *plan.Plan) error {
	return writeJSON(w, planDocument(p))
}

// planDocument is the plan document of docs/json-format.md: what plan
// -json prints and what policies read (policy_input.go).
func planDocument(p *plan.Plan) jsonPlan {
	doc := jsonPlan{FormatVersion: JSONFormatVersion, Changes: []jsonChange{}, Summary: map[string]int{}, Warnings: p.Warnings}
	if doc.Warnings == nil {
		doc.Warnings = []string{}
	}
	for a, n := range p.Summary() {
		doc.Summary[a.String()] = n
	}
	for _, c := range p.Changes {
		jc := jsonChange{
			Address: c.Address, Action: c.Action.String(), Provider: c.Provider(), ID: c.ID,
			Before: toJSONVM(c.Before), After: toJSONVM(c.After), Reasons: c.Reasons,
			Restart: c.Restart, Live: c.Live, CreateBeforeDestroy: c.CreateBeforeDestroy, Batch: c.Batch,
		}
		if c.Before != nil && c.After != nil && c.Before.Provider != c.After.Provider {
			jc.PreviousProvider = c.Before.Provider
		}
		if c.Imported {
			jc.Importing = &jsonImporting{ID: c.ID}
		}
		doc.Changes = append(doc.Changes, jc)
	}
	return doc
}

type jsonInventory struct {
	FormatVersion string            `json:"format_version"`
	VMs           []jsonInventoryVM `json:"vms"`
}

type jsonInventoryVM struct {
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

// inventoryRows flattens inventories; address is set for VMs this
// workspace owns, owner_* for those another workspace's marker claims.
func inventoryRows(invs map[string]driver.Inventory, st *state.State) []jsonInventoryVM {
	lineage := ""
	if st != nil {
		lineage = st.Lineage
	}
	rows := []jsonInventoryVM{}
	for pk, inv := range invs {
		for _, vm := range inv.VMs {
			row := jsonInventoryVM{
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

type jsonState struct {
	FormatVersion string        `json:"format_version"`
	Lineage       string        `json:"lineage"`
	Serial        uint64        `json:"serial"`
	VMs           []jsonStateVM `json:"vms"`
}

type jsonStateVM struct {
	Address  string `json:"address"`
	Provider string `json:"provider"`
	ID       string `json:"id"`
	jsonVM
}

func writeStateJSON(w io.Writer, st *state.State) error {
	doc := jsonState{FormatVersion: JSONFormatVersion, VMs: []jsonStateVM{}}
	if st != nil {
		doc.Lineage, doc.Serial = st.Lineage, st.Serial
		for _, addr := range sortedAddresses(st) {
			vm := st.VMs[addr]
			doc.VMs = append(doc.VMs, jsonStateVM{Address: addr, Provider: vm.Provider, ID: vm.ID, jsonVM: *stateJSONVM(vm)})
		}
	}
	return writeJSON(w, doc)
}

func stateJSONVM(vm *state.VM) *jsonVM {
	tags := vm.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return &jsonVM{
		Name: vm.Name, Host: vm.Host, CPU: vm.CPU, MemoryGB: float64(vm.MemoryMiB) / 1024,
		DiskGB: vm.DiskGB, Power: vm.Power, Template: vm.Template, Tags: tags,
	}
}

func sortedAddresses(st *state.State) []string {
	out := st.Addresses()
	addrs.SortStrings(out)
	return out
}

// writeJSON writes v as indented JSON. encoding/json escapes C0 control
// characters and U+2028/U+2029 but leaves C1 controls (U+009B starts a
// terminal sequence, as ESC [ does) and the bidirectional overrides raw: they
// are escaped too, which JSON readers decode to the same strings.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeHidden(buf.Bytes()))
	return err
}

// escapeHidden writes C1 controls and the characters that reorder or hide
// text as \uXXXX escapes; in JSON they can only be inside strings.
func escapeHidden(doc []byte) []byte {
	if !bytes.ContainsFunc(doc, func(r rune) bool { return (r >= 0x80 && r <= 0x9f) || hidden(r) }) {
		return doc
	}
	var out bytes.Buffer
	for len(doc) > 0 {
		r, size := utf8.DecodeRune(doc)
		if (r >= 0x80 && r <= 0x9f) || hidden(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.Write(doc[:size])
		}
		doc = doc[size:]
	}
	return out.Bytes()
}
