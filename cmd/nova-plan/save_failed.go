package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
)

// saveFailedDiags explains an apply whose state could not be saved: why,
// where the state as the apply left it was written, and how to restore it.
// The commands work from the folder the user ran nova-plan in: paths are
// absolute, and the plan names -chdir when the apply was given one.
func saveFailedDiags(err error, chdir string) hcl.Diagnostics {
	var se *workspace.SaveError
	if !errors.As(err, &se) {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "State not saved", Detail: detailSentence(err.Error())}}
	}
	planCmd := commandIn(se.Workspace, chdir, "plan")
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nNo change was started after that; the changes in flight finished.", detailSentence(se.Err.Error()))
	if se.Recovery == "" {
		fmt.Fprintf(&b, " Writing the state to a recovery file failed too: %v. Once the state can be saved again, "+
			"run `%s`: it finds the VMs this apply created by their ownership markers and adopts them.", se.RecoveryErr, planCmd)
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "State not saved", Detail: b.String()}}
	}
	recovery := absolute(se.Recovery)
	fmt.Fprintf(&b, " The state as the apply left them was written to\n\n  %s\n", recovery)
	if se.Invalid != nil {
		fmt.Fprintf(&b, "\nIt does not pass the state checks either, so repair it before restoring it: %v\n", se.Invalid)
	}
	pushCmd := commandIn(se.Workspace, chdir, "state push -force")
	fmt.Fprintf(&b, "\nFix the cause (free space on the disk, the database back, say), then restore it and check what is left to do:\n\n"+
		"  %s %s\n  %s\n", pushCmd, shellWord(recovery), planCmd)
	if se.StateFile != "" {
		fmt.Fprintf(&b, "\nWith the local backend, copying the file works too (without the lock, so only when no other run is busy):\n\n  cp %s %s\n",
			shellWord(recovery), shellWord(absolute(se.StateFile)))
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "State not saved", Detail: strings.TrimSuffix(b.String(), "\n")}}
}

// commandIn is the nova-plan command line that runs args in
// workspace (state.Command) from where the user ran nova-plan: with
// -chdir when it was given one.
func commandIn(workspace, chdir, args string) string {
	if chdir != "" {
		args = "-chdir=" + shellWord(chdir) + " " + args
	}
	return state.Command(workspace, args)
}

// absolute is path made absolute against the workspace folder (the
// process's, after -chdir); path itself when that fails.
func absolute(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// shellWord quotes s for a POSIX shell when it holds anything but plain
// path characters.
func shellWord(s string) string {
	for _, c := range s {
		if !(c == '/' || c == '.' || c == '-' || c == '_' || c == '+' || c == ':' || c == '@' || c == '=' || c == ',' ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	if s == "" {
		return "''"
	}
	return s
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
