package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/workspace"
)

// saveFailedDiags explains an apply whose state could not be saved: why,
// where the state as the apply left it was written, and how to restore it.
func saveFailedDiags(err error) hcl.Diagnostics {
	var se *workspace.SaveError
	if !errors.As(err, &se) {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "State not saved", Detail: detailSentence(err.Error())}}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nNo change was started after that; the changes in flight finished.", detailSentence(se.Err.Error()))
	if se.Recovery == "" {
		fmt.Fprintf(&b, " Writing the state to a recovery file failed too: %v. Once the state can be saved again, "+
			"run `nova-plan plan`: it finds the VMs this apply created by their ownership markers and adopts them.", se.RecoveryErr)
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "State not saved", Detail: b.String()}}
	}
	fmt.Fprintf(&b, " The state as the apply left them was written to\n\n  %s\n", se.Recovery)
	if se.Invalid != nil {
		fmt.Fprintf(&b, "\nIt does not pass the state checks either, so repair it before restoring it: %v\n", se.Invalid)
	}
	if se.StateFile != "" {
		fmt.Fprintf(&b, "\nFix the cause (free space on the disk, say), then restore it and check what is left to do:\n\n"+
			"  cp %s %s\n  nova-plan plan\n", se.Recovery, se.StateFile)
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "State not saved", Detail: strings.TrimSuffix(b.String(), "\n")}}
}

// detailSentence makes an error message a sentence: a capital first
// letter and a period.
func detailSentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
