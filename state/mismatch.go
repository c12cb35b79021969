package state

import "fmt"

// Command returns the nova-plan command line that runs args in workspace:
// prefixed with NOVA_WORKSPACE=NAME for any workspace but the default, so
// that it acts on the same workspace when pasted into a new shell.
func Command(workspace, args string) string {
	if workspace != "" && workspace != DefaultWorkspace {
		return fmt.Sprintf("NOVA_WORKSPACE=%s nova-plan %s", workspace, args)
	}
	return "nova-plan " + args
}

// MismatchError is a stored document that disagrees with the lineage and
// serial its backend keeps beside it (a pg row's columns): it was changed
// outside NovaCron (an older document restored, a column edited), and is
// not used. Doc is nil when the row holds no document; otherwise it is the
// document with the changes stored since it applied (pg's change rows).
// DocSerial is the document's own serial, ChangeSerial the last serial of
// those changes (0: none).
type MismatchError struct {
	Workspace, Where       string // Where names the workspace and its backend
	RowLineage, DocLineage string
	RowSerial, DocSerial   uint64
	ChangeSerial           uint64
	Doc                    *State
}

func (e *MismatchError) Error() string {
	what := fmt.Sprintf("holds no document although it says lineage %q serial %d", e.RowLineage, e.RowSerial)
	if e.Doc != nil {
		what = fmt.Sprintf("says lineage %q serial %d, but the document in it has lineage %q serial %d", e.RowLineage, e.RowSerial, e.DocLineage, e.DocSerial)
	}
	if e.ChangeSerial > 0 {
		what += fmt.Sprintf(" and change rows up to serial %d", e.ChangeSerial)
	}
	return fmt.Sprintf("%s was changed outside NovaCron: the row %s (an older document restored, or a row edited by hand). "+
		"It was not used, and left as it is. Repair it by pushing a good document (a state pull or recovery file from before the change, or a backup) with `%s`",
		e.Where, what, Command(e.Workspace, "state push -force FILE"))
}

// DamagedError is a stored state its backend cannot read: a document
// that does not parse, a change row that cannot be read or is missing. It
// is not used and is left untouched; `state push -force FILE` replaces it
// (Store.Overwrite writes whatever is stored). RowLineage and RowSerial
// are what the backend keeps beside the state (a pg row's columns), ""
// and 0 where it keeps none. Err's message is the error's.
type DamagedError struct {
	Workspace  string
	RowLineage string
	RowSerial  uint64
	Err        error
}

func (e *DamagedError) Error() string { return e.Err.Error() }
func (e *DamagedError) Unwrap() error { return e.Err }
