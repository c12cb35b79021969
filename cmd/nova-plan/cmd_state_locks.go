package main

import (
	"context"
	"strconv"
	"time"

	"github.com/novacron/novacron/state"
)

// stateLocks lists the state locks held now.
func stateLocks(args []string, e *env) int {
	fs := newFlags("state locks", "", e)
	bf := backendFlags{noDocuments: true} // reads no state document: no key needed
	bf.register(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, *asJSON)
	if fs.NArg() > 0 {
		return u.errorf("state locks takes no arguments")
	}
	ws := openBackend(context.Background(), u, e, &bf)
	if ws == nil {
		return 1
	}
	defer closeWorkspace(u, ws)
	locks, err := ws.Locks(context.Background())
	if err != nil {
		return u.stateError("Cannot list the locks", err)
	}
	if *asJSON {
		if locks == nil {
			locks = []state.LockInfo{}
		}
		return exitOn(u, writeJSON(e.stdout, jsonLocks{FormatVersion: JSONFormatVersion, Locks: locks}))
	}
	if len(locks) == 0 {
		u.printf("No state lock is held.\n")
		return 0
	}
	for _, l := range locks {
		u.printf("%s\n", printable(lockLine(l), false))
	}
	return 0
}

// lockLine is one held lock: workspace, holder, operation, since, pid, id.
func lockLine(l state.LockInfo) string {
	return "workspace " + l.Workspace + ": held by " + dash(l.Who) + " for " + dash(l.Operation) +
		" since " + l.Created.UTC().Format(time.RFC3339) + pidText(l.PID) + ", lock ID " + dash(l.ID)
}

func pidText(pid int) string {
	if pid == 0 {
		return ""
	}
	return ", pid " + strconv.Itoa(pid)
}

// jsonLocks is the document of state locks -json.
type jsonLocks struct {
	FormatVersion string           `json:"format_version"`
	Locks         []state.LockInfo `json:"locks"`
}
