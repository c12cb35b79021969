package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
)

// maxPushBytes bounds the document push reads: that of state/local.
const maxPushBytes = 1 << 30

// statePull prints the state document, as the backend keeps it in plain
// text, on standard output.
func statePull(args []string, e *env) int {
	fs := newFlags("state pull", "", e)
	var bf backendFlags
	bf.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() > 0 {
		return u.errorf("state pull takes no arguments: it prints the whole state; redirect it to a file, such as nova-plan state pull > state.json")
	}
	ws := openWorkspace(context.Background(), u, e, &bf)
	if ws == nil {
		return 1
	}
	defer closeWorkspace(u, ws)
	data, err := ws.Pull(context.Background())
	if err != nil {
		return u.stateError("Cannot read the state", err)
	}
	u.diagnostics(ws.PlaintextNotice())
	if data == nil {
		fmt.Fprintln(e.stderr, "The workspace has no state yet: there is nothing to pull.")
		return 0
	}
	_, err = e.stdout.Write(data)
	return exitOn(u, err)
}

// statePush replaces the state with a document read from a file or
// standard input.
func statePush(args []string, e *env) int {
	fs := newFlags("state push", "FILE|-", e)
	var o workspace.PushOptions
	fs.BoolVar(&o.Force, "force", false, "replace the state even if the document is of another lineage or older than the stored one")
	lockTimeoutFlag(fs, &o.LockTimeout)
	var bf backendFlags
	bf.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() != 1 {
		return u.errorf("state push needs the document to push: a file, or - for standard input")
	}
	name := fs.Arg(0)
	data, err := readPushed(name, e.stdin)
	if err != nil {
		return u.errorf("Cannot read the document to push: %s", workspace.Message(err))
	}
	if name == "-" {
		name = "standard input"
	}
	ws := openWorkspace(context.Background(), u, e, &bf)
	if ws == nil {
		return 1
	}
	defer closeWorkspace(u, ws)
	res, err := ws.Push(context.Background(), data, o)
	var decode *workspace.PushDecodeError
	var conflict *workspace.PushConflictError
	var owned *workspace.LineageOwnedError
	var history *workspace.HistoryError
	switch {
	case errors.As(err, &decode):
		return u.stateError("Cannot push "+name+": it is not a state document NovaCron can use",
			fmt.Errorf("%s%s\n\nNothing was written", where(name, decode), pushedProblem(decode.Err)))
	case errors.As(err, &owned):
		return u.stateError("Cannot push "+name, fmt.Errorf("%s. Nothing was written", workspace.Message(owned)))
	case errors.As(err, &conflict):
		return u.stateError("Cannot push "+name, fmt.Errorf("%s. Nothing was written", workspace.Message(conflict)))
	case errors.As(err, &history):
		u.diagnostics(warning("The audit record was not written", workspace.Message(history.Err)))
	case err != nil:
		return u.stateError("Cannot push "+name, fmt.Errorf("%s. Nothing was written", workspace.Message(err)))
	}
	if res.SharedWith != "" {
		u.diagnostics(warning("Two workspaces manage the same VMs",
			fmt.Sprintf("%s has the lineage of workspace %q, and was pushed with -force: both workspaces now manage the same VMs, and a plan in one destroys or recreates what the other manages. Keep only one of them (nova-plan workspace delete).", name, res.SharedWith)))
	}
	u.printf("Pushed %s: the state is now serial %d.\n", name, res.Serial)
	return 0
}

// pushedProblem says what is wrong with a pushed document: the list of
// problems Validate found, or the decoder's error.
func pushedProblem(err error) string {
	var invalid *state.InvalidError
	if errors.As(err, &invalid) {
		return "it cannot be used:" + invalid.List()
	}
	return workspace.Message(err)
}

// where is "NAME:LINE:COLUMN: " for a decode error, as much as is known.
func where(name string, e *workspace.PushDecodeError) string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: ", name, e.Line, e.Column)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: ", name, e.Line)
	}
	return name + ": "
}

// readPushed reads the document: name is a file, or - for in.
func readPushed(name string, in io.Reader) ([]byte, error) {
	r := in
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxPushBytes+1))
	if err == nil && len(data) > maxPushBytes {
		err = fmt.Errorf("%s is larger than %d bytes, more than any state document", name, maxPushBytes)
	}
	return data, err
}
