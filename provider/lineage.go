package provider

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
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

// configLineages are the lineages of the resources this process has read
// or planned with a prior state, per backend: the resources of the
// configuration Terraform is planning. Terraform plans the replacement of
// a resource (-replace, taint, a change that forces replacement) as a new
// object with no prior state; its VMs may have the names of the VMs of the
// object it replaces, which Terraform deletes first (or, with
// create_before_destroy, after: then the apply stops before creating
// anything). The plan of a new object leaves these VMs out; the apply
// never does.
var configLineages = &lineageSet{byBackend: map[string]map[string]bool{}}

type lineageSet struct {
	mu        sync.Mutex
	byBackend map[string]map[string]bool
}

// note records that the configuration holds a resource of lineage on
// backend b.
func (s *lineageSet) note(b *backend, lineage string) {
	if lineage == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := poolKey(b)
	if s.byBackend[key] == nil {
		s.byBackend[key] = map[string]bool{}
	}
	s.byBackend[key][lineage] = true
}

// noteIn records a resource of lineage on the backend named name, if the
// provider configures it.
func (s *lineageSet) noteIn(bs *backends, name, lineage string) {
	if bs == nil {
		return
	}
	if b := bs.byName[name]; b != nil {
		s.note(b, lineage)
	}
}

// has reports whether lineage is a resource's of the configuration.
func (s *lineageSet) has(b *backend, lineage string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byBackend[poolKey(b)][lineage]
}
