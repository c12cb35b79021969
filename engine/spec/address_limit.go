package spec

import "unicode/utf8"

// checkAddressLengths refuses a VM address longer than its driver can
// keep in the ownership marker (driver.Factory.MaxAddress: EC2 and Azure
// keep it in a tag value of at most 256 characters), so that a deep
// module path or a long for_each key is a diagnostic at plan time rather
// than a driver error halfway through an apply. One error per fleet: its
// longest address.
func (d *decoder) checkAddressLengths() {
	for _, f := range d.spec.Fleets {
		if f.Provider == nil || f.Provider.Factory.MaxAddress == 0 {
			continue
		}
		max, longest := f.Provider.Factory.MaxAddress, ""
		for _, inst := range f.Instances {
			if len(inst.Address) > max && utf8.RuneCountInString(inst.Address) > max && len(inst.Address) > len(longest) {
				longest = inst.Address
			}
		}
		if longest == "" {
			continue
		}
		shown := truncate(longest, 120)
		if shown != longest {
			shown += "…"
		}
		d.errorf(f.DeclRange.Ptr(), "VM address too long for its provider",
			"%s is %d characters long, but provider %s (%s) keeps a VM's address in a tag of at most %d characters. "+
				"Shorten the module, fleet or for_each key names on its path.",
			shown, utf8.RuneCountInString(longest), f.Provider.Key(), f.Provider.Type, max)
	}
}

// truncate cuts s to at most n bytes, on a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
