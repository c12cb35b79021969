package main

import (
	"io"

	"github.com/novacron/novacron/engine/addrs"

	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// JSONFormatVersion is the version of the documents -json prints
// (docs/json-format.md); engine/jsonformat holds those the server prints too.
const JSONFormatVersion = jsonformat.FormatVersion

type (
	jsonInventory   = jsonformat.Inventory
	jsonInventoryVM = jsonformat.InventoryVM
)

var inventoryRows = jsonformat.InventoryRows

func writePlanJSON(w io.Writer, p *plan.Plan) error     { return jsonformat.WritePlan(w, p) }
func writeStateJSON(w io.Writer, st *state.State) error { return jsonformat.WriteState(w, st) }
func writeJSON(w io.Writer, v any) error                { return jsonformat.Write(w, v) }

func sortedAddresses(st *state.State) []string {
	out := st.Addresses()
	addrs.SortStrings(out)
	return out
}
