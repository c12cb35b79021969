package drivertest

import (
	"slices"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// testCanonicalIDs: every id Inventory lists is canonical (CheckID passes
// it, and a driver that canonicalizes ids maps it to itself). Update,
// Delete and Migrate of another spelling of a live VM's id fail, or for
// Delete do nothing, and leave the VM as it was; they fail with a
// permanent error when CheckID refuses the spelling or the driver's own
// CanonicalID maps it to the VM: the driver then knows it for the VM's and
// must refuse it rather than resolve it.
func testCanonicalIDs(e *env) {
	spec := e.spec("canonical-id")
	vm := e.create(spec)
	want := e.want(spec, vm.ID, vm.Host)
	canon, canonicalizes := e.d.(driver.IDCanonicalizer)
	for _, listed := range e.inventory().VMs {
		if err := driver.CheckID(listed.ID); err != nil {
			e.t.Errorf("Inventory lists an id that is not canonical: %v", err)
		} else if c, ok := driver.CanonicalID(e.d, listed.ID); canonicalizes && (!ok || c != listed.ID) {
			e.t.Errorf("Inventory lists id %q, which CanonicalID spells %q (ok %t)", listed.ID, c, ok)
		}
	}
	target := ""
	if hosts := e.inventory().Hosts; len(hosts) > 0 {
		target = otherHost(hosts, vm.Host)
	}
	for _, other := range spellings(vm.ID) {
		strict := driver.CheckID(other) != nil
		if canonicalizes {
			c, ok := canon.CanonicalID(other)
			strict = strict || (ok && c == vm.ID)
		}
		e.refusedSpelling(other, vm.ID, target, strict)
		e.check("Inventory after calls with the id spelled "+quote(other), e.vm(vm.ID), want)
	}
}

// refusedSpelling calls Update, Migrate and Delete with another spelling
// of id: each must fail (Delete may succeed, doing nothing), and with a
// permanent error when strict.
func (e *env) refusedSpelling(other, id, target string, strict bool) {
	e.t.Helper()
	_, err := e.d.Update(e.ctx, other, driver.Changes{Tags: map[string]string{"spelled": "otherwise"}})
	e.wantRefused("Update", other, id, err, strict, false)
	if target != "" {
		e.wantRefused("Migrate", other, id, e.d.Migrate(e.ctx, other, target, true), strict, false)
	}
	e.wantRefused("Delete", other, id, e.d.Delete(e.ctx, other), strict, true)
}

func (e *env) wantRefused(call, other, id string, err error, strict, nilOK bool) {
	e.t.Helper()
	switch {
	case err == nil && (strict || !nilOK):
		e.t.Errorf("%s(%s), another spelling of VM %s's id, succeeded; want a permanent error", call, quote(other), id)
	case err != nil && strict && driver.KindOf(err) != driver.KindPermanent:
		e.t.Errorf("%s(%s), another spelling of VM %s's id: %v (%s); want a permanent error", call, quote(other), id, err, driver.KindOf(err))
	}
}

// spellings returns other ways to write id that systems often accept for
// it: another case, without dashes, with spaces or control characters
// around it.
func spellings(id string) []string {
	var out []string
	for _, s := range []string{
		strings.ToUpper(id), strings.ToLower(id), strings.ReplaceAll(id, "-", ""),
		strings.ToUpper(strings.ReplaceAll(id, "-", "")), " " + id, id + " ", "\t" + id, id + "\n", id + "\x00",
	} {
		if s != id && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func quote(s string) string { return strconv.Quote(s) }
