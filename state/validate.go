package state

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxSerial is the largest serial a document may hold: 2^53, the largest
// integer every JSON reader holds exactly. NovaCron raises the serial by one
// per write, so no workspace comes near it.
const MaxSerial = 1 << 53

// Problem is one thing wrong with a state document.
type Problem struct {
	Field string // where: "lineage", `vms["fleet.web[5]"].fleet`, …
	What  string // what is wrong, to follow Field in a sentence
	Fix   string // how to repair it, as a sentence
	// Line is the line of the document the problem is on, when it was
	// found in the document's text (Decode); 0 otherwise.
	Line int
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s %s (line %d). %s", p.Field, p.What, p.Line, p.Fix)
	}
	return p.Field + " " + p.What + ". " + p.Fix
}

// InvalidError is a state document that must not be used: using it could
// make a plan delete a VM another address owns, or stamp new VMs with an
// ownership marker no workspace owns.
type InvalidError struct {
	// Source names what was read, such as "the state file .nova/state.json";
	// Validate sets "the state document" and a backend may say more.
	Source   string
	Problems []Problem // ordered by Field
}

// maxListed bounds the problems an InvalidError prints.
const maxListed = 20

func (e *InvalidError) Error() string {
	return e.Source + " cannot be used, and was left untouched:" + e.List()
}

// List renders the problems, one per line, each line starting "\n- ".
func (e *InvalidError) List() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i == maxListed {
			fmt.Fprintf(&b, "\n- and %d more problems", len(e.Problems)-maxListed)
			break
		}
		b.WriteString("\n- " + p.String())
	}
	return b.String()
}

// Validate checks what a document must satisfy to be used: a known
// format_version; a lineage of plain text; a serial within MaxSerial;
// well-formed addresses in canonical form whose VM records name their own
// fleet; provider keys of the form TYPE.NAME; ids that are not empty and
// have no spaces around them or control characters in them; sizes that are
// not negative; a power of "running" or "stopped"; names, hosts,
// templates and tags of plain text (UTF-8, no control characters); no VM
// recorded at two addresses; and abandoned VMs that are well formed,
// listed once and not also managed. It returns nil or an *InvalidError
// listing every problem. Every backend validates what it reads, and what
// it writes.
func Validate(s *State) error {
	if s == nil {
		return &InvalidError{Source: "the state document", Problems: []Problem{{
			Field: "the document", What: "is null", Fix: "Restore it from a backup.",
		}}}
	}
	return invalid(check(s, nil))
}

// check returns the problems of s after those already found (by Decode).
func check(s *State, found []Problem) []Problem {
	v := &validator{problems: found}
	if v.formatVersion(s.FormatVersion) {
		v.lineage(s)
		v.serial(s)
		v.vms(s.VMs)
		v.abandoned(s)
	}
	return v.problems
}

// invalid returns nil, or an *InvalidError of the problems sorted by field.
func invalid(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	slices.SortStableFunc(problems, func(a, b Problem) int { return strings.Compare(a.Field, b.Field) })
	return &InvalidError{Source: "the state document", Problems: problems}
}

type validator struct {
	problems []Problem
	// ok remembers values that passed their check (recordOK).
	ok struct{ provider, host, template, dep lastOK }
}

func (v *validator) add(field, fix, what string, args ...any) {
	v.problems = append(v.problems, Problem{Field: field, What: fmt.Sprintf(what, args...), Fix: fix})
}

// formatVersion reports whether the rest of the document can be checked.
func (v *validator) formatVersion(n int) bool {
	switch {
	case n > FormatVersion:
		v.add("format_version", "Upgrade nova-plan: only a newer NovaCron build reads it, and this one writes nothing over it.",
			"is %d, but this build reads format_version %d and older", n, FormatVersion)
	case n < 1:
		v.add("format_version", "Restore the file from a backup.",
			"is %d, which is not a NovaCron state format (they start at 1)", n)
	default:
		return true
	}
	return false
}

func (v *validator) lineage(s *State) {
	if bad := badText(s.Lineage); bad != "" {
		v.add("lineage", `Restore the file from a backup, or set "lineage" to the lineage in the ownership markers of this workspace's VMs.`,
			"%s: it goes into the ownership marker of every VM the workspace creates", bad)
		return
	}
	if strings.TrimSpace(s.Lineage) != "" {
		return
	}
	fix := `Restore the file from a backup, or set "lineage" to the lineage in the ownership markers of this workspace's VMs.`
	if len(s.VMs) == 0 && len(s.Abandoned) == 0 {
		fix = "The document records no VMs: remove it, and the next apply starts a new state with a new lineage."
	}
	v.add("lineage", fix, "is missing: it goes into the ownership marker of every VM the workspace creates, "+
		"which is how the next plan finds VMs an interrupted apply did not record")
}

func (v *validator) serial(s *State) {
	if s.Serial > MaxSerial {
		v.add("serial", "Restore the file from a backup.",
			"is %d, beyond %d (2^53): NovaCron raises it by one per write and never gets there", s.Serial, uint64(MaxSerial))
	}
}

// vms checks each record and that no VM is recorded at two addresses. It
// runs on every read and write, so it allocates only for problems.
func (v *validator) vms(vms map[string]*VM) {
	var owners owners
	var dups map[Ref][]string
	for addr, vm := range vms {
		if vm == nil {
			v.add(field(addr), "Remove the entry, or restore the file from a backup.", "is null")
			continue
		}
		v.vm(addr, vm)
		if vm.ID == "" {
			continue
		}
		ref := Ref{Provider: vm.Provider, ID: vm.ID}
		owner := owners.of(vm.Provider, len(vms))
		first, seen := owner[vm.ID]
		if !seen {
			owner[vm.ID] = addr
			continue
		}
		if dups == nil {
			dups = map[Ref][]string{}
		}
		if len(dups[ref]) == 0 {
			dups[ref] = []string{first}
		}
		dups[ref] = append(dups[ref], addr)
	}
	for ref, addrs := range dups {
		v.duplicate(ref, addrs)
	}
}

// owners maps each provider's VM ids to the address that records them.
// Keyed by the id alone, the map of a provider hashes one string per VM.
type owners struct {
	by       map[string]map[string]string
	last     string // the provider of the map asked for last
	lastByID map[string]string
}

// of returns the map of provider's ids; the first made has room for n.
func (o *owners) of(provider string, n int) map[string]string {
	if o.lastByID != nil && provider == o.last {
		return o.lastByID
	}
	if o.by == nil {
		o.by = map[string]map[string]string{}
	}
	m := o.by[provider]
	if m == nil {
		if len(o.by) > 0 {
			n = 0 // the VMs are the first provider's, mostly
		}
		m = make(map[string]string, n)
		o.by[provider] = m
	}
	o.last, o.lastByID = provider, m
	return m
}

// field is where the record of addr is: vms["ADDR"].
func field(addr string) string { return "vms[" + strconv.Quote(addr) + "]" }

// duplicate reports a VM recorded at several addresses.
func (v *validator) duplicate(ref Ref, addrs []string) {
	slices.Sort(addrs)
	fields := make([]string, len(addrs))
	for i, a := range addrs {
		fields[i] = field(a)
	}
	all := "all"
	if len(addrs) == 2 {
		all = "both"
	}
	v.add(strings.Join(fields, " and "),
		"Remove all but one of these entries, keeping the address in the VM's ownership marker, or restore the file from a backup.",
		"%s record VM %s of provider %s: a VM belongs to one address, and a plan would delete it for the address the spec no longer declares while another still owns it",
		all, ref.ID, ref.Provider)
}
