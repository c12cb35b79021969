package provider

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Ownership. Every VM the provider creates carries the engine's ownership
// marker: an address (vm.NAME, fleet.NAME[KEY]) and the lineage of the
// resource that made it. A resource's lineage is random, made when Terraform
// creates the resource and kept in its state, so two configurations (or two
// resources) never claim each other's VMs, and a replacement (-replace,
// taint, create_before_destroy) never adopts the VMs of the object it
// replaces. The engine's own rules then apply: a resource owns the VMs its
// state records and the VMs carrying its lineage.

// lineagePrefix starts every lineage this provider makes, followed by the
// resource type: terraform:novacron_fleet:web:3f9c…
const lineagePrefix = "terraform:"

// newLineage returns a fresh lineage for a resource of type typ (such as
// novacron_fleet) named name: the name is for the humans who read markers;
// 128 random bits make it unique.
func newLineage(typ, name string) string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return lineagePrefix + typ + ":" + name + ":" + hex.EncodeToString(b)
}

// importedLineage is the lineage of a resource that an import naming an
// owner (BACKEND/NAME@FORMER) makes, and writes in the markers of the VMs
// it takes over (adopt): the same for every run of the same import,
// because Terraform may run one import more than once before it saves it
// (an import block is imported by terraform plan, and again by terraform
// apply), and a later run must find the VMs an earlier one marked. from
// names what is imported: the backend and the VM's id, or the backend and
// the fleet's name. The former lineage is random, so no other import
// makes this lineage unless it takes over the same VMs.
func importedLineage(typ, name, former string, from ...string) string {
	h := sha256.New()
	h.Write([]byte("novacron import\x00" + typ + "\x00" + former))
	for _, f := range from {
		h.Write([]byte("\x00" + f))
	}
	return lineagePrefix + typ + ":" + name + ":" + hex.EncodeToString(h.Sum(nil))[:32]
}

// madeByTerraform reports whether a lineage is one this provider makes
// for its resources.
func madeByTerraform(lineage string) bool { return strings.HasPrefix(lineage, lineagePrefix) }

// sameResource reports whether lineage is one this provider makes for a
// resource of type typ named name (a random one, one an import made, or
// schema version 0's): the lineage of an object this resource replaces, or
// of a same-named resource of another configuration.
func sameResource(lineage, typ, name string) bool {
	p := v0Lineage(typ, name)
	return lineage == p || strings.HasPrefix(lineage, p+":")
}
