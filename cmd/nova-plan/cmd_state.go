package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
)

// stateCommands are state's subcommands (`nova-plan completion` completes
// them).
var stateCommands = map[string]func(args []string, e *env) int{
	"list": stateList, "show": stateShow, "rm": stateRm, "mv": stateMv, "pull": statePull,
	"push": statePush, "locks": stateLocks, "migrate": stateMigrate, "rekey": stateRekey,
}

func runState(args []string, e *env) int {
	u := newUI(e, false)
	if len(args) == 0 {
		return u.errorf("state needs a subcommand: list, show ADDRESS, rm ADDRESS…, mv SOURCE DESTINATION, pull, push FILE, locks, migrate -from=TYPE, or rekey")
	}
	switch args[0] {
	case "-help", "--help", "-h", "--h":
		stateUsage(e)
		return 0
	}
	if run, ok := stateCommands[args[0]]; ok {
		return run(args[1:], e)
	}
	return u.errorf("unknown state subcommand %q: use list, show, rm, mv, pull, push, locks, migrate or rekey", args[0])
}

func stateUsage(e *env) {
	fmt.Fprint(e.stderr, `Usage: nova-plan state <subcommand> [options] [args]

Inspect or change the state.

Subcommands:
  list [ADDRESS…]                   List the managed addresses, or those under the given fleets or addresses
  show ADDRESS                      Show what the state records for one VM
  rm [-lock-timeout=D] ADDRESS…     Stop managing VMs, leaving them running
  mv [options] SOURCE DESTINATION   Move a VM or a whole fleet to another address, in the state and in the VMs' ownership markers
  pull                              Print the state document
  push [-force] [-lock-timeout=D] FILE|-
                                    Replace the state with a document (one pulled and edited)
  locks [-json]                     List the state locks held now
  migrate -from=TYPE [-from-config=KEY=VALUE…] [-force]
                                    Copy every workspace of an old backend into the spec's backend
  rekey [-decrypt] [-lock-timeout=D]
                                    Encrypt every workspace's state again: read with NOVA_STATE_KEY (or _PASSPHRASE),
                                    write with NOVA_STATE_NEW_KEY (or _NEW_PASSPHRASE), or unencrypted

Run `+"`nova-plan state <subcommand> -help`"+` for a subcommand's options.
`)
}

func readState(u *ui, e *env, bf *backendFlags) (*state.State, bool) {
	ws := openWorkspace(context.Background(), u, e, bf)
	if ws == nil {
		return nil, false
	}
	defer closeWorkspace(u, ws)
	st, err := ws.Store.Read(context.Background())
	if err != nil {
		u.stateError("Cannot read the state", err)
		return nil, false
	}
	u.diagnostics(ws.PlaintextNotice())
	if st == nil {
		st = state.New("")
	}
	return st, true
}

// stateList prints managed addresses, optionally those under the given
// fleet or instance addresses.
func stateList(args []string, e *env) int {
	fs := newFlags("state list", "[ADDRESS…]", e)
	var bf backendFlags
	bf.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	filters, err := canonicalAddresses("state list", fs.Args())
	if err != nil {
		return u.errorf("%v", err)
	}
	st, ok := readState(u, e, &bf)
	if !ok {
		return 1
	}
	for _, addr := range sortedAddresses(st) {
		if matchesAny(addr, st.VMs[addr].Fleet, filters) {
			u.printf("%s\n", printable(addr, false))
		}
	}
	return 0
}

func matchesAny(addr, fleet string, filters []string) bool {
	if len(filters) == 0 {
		return true
	}
	for _, f := range filters {
		if f == addr || f == fleet || inModule(f, addr) {
			return true
		}
	}
	return false
}

// inModule reports whether filter is a module address and addr lies in
// that module.
func inModule(filter, addr string) bool {
	m, err := addrs.ParseModule(filter)
	return err == nil && m.Contains(addr)
}

// expandModules replaces each module address among given by the state's
// addresses inside that module, in address order; a module with none
// stays, to be reported missing.
func expandModules(st *state.State, given []string) []string {
	var out []string
	for _, g := range given {
		if !addrs.IsModuleAddress(g) {
			out = append(out, g)
			continue
		}
		var inside []string
		for _, a := range sortedAddresses(st) {
			if inModule(g, a) {
				inside = append(inside, a)
			}
		}
		if len(inside) == 0 {
			inside = []string{g}
		}
		out = append(out, inside...)
	}
	return out
}

func stateShow(args []string, e *env) int {
	fs := newFlags("state show", "ADDRESS", e)
	var bf backendFlags
	bf.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() != 1 {
		return u.errorf("state show needs exactly one address, such as fleet.web[0]")
	}
	addr, err := canonicalAddresses("state show", fs.Args())
	if err != nil {
		return u.errorf("%v", err)
	}
	st, ok := readState(u, e, &bf)
	if !ok {
		return 1
	}
	vm := st.VMs[addr[0]]
	if vm == nil {
		return u.errorf("No VM at %s in the state; `nova-plan state list` shows what is there", addr[0])
	}
	u.printf("%s", stateText(addr[0], vm))
	return 0
}

// stateRm stops managing VMs without deleting them. They keep their
// ownership marker, so the state remembers them as abandoned: no later
// plan adopts or deletes them.
func stateRm(args []string, e *env) int {
	fs := newFlags("state rm", "ADDRESS…", e)
	var lockTimeout time.Duration
	lockTimeoutFlag(fs, &lockTimeout)
	var bf backendFlags
	bf.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() == 0 {
		return u.errorf("state rm needs at least one address, such as fleet.web[0]")
	}
	given, err := canonicalAddresses("state rm", fs.Args())
	if err != nil {
		return u.errorf("%v", err)
	}
	ws := openWorkspace(context.Background(), u, e, &bf)
	if ws == nil {
		return 1
	}
	defer closeWorkspace(u, ws)
	ctx, cancel := context.WithTimeout(context.Background(), workspace.LockWait(lockTimeout))
	defer cancel()
	id, err := ws.Store.Lock(ctx, state.LockInfo{Operation: "state rm", Who: workspace.Who(), Workspace: ws.Name})
	if err != nil {
		return u.stateError("Cannot lock the state", err)
	}
	defer ws.Store.Unlock(id)
	u.diagnostics(ws.Repairs())
	return removeAddresses(u, ws, given)
}

func removeAddresses(u *ui, ws *workspace.Workspace, addrs []string) int {
	ctx := context.Background()
	st, err := ws.Store.Read(ctx)
	if err != nil {
		return u.stateError("Cannot read the state", err)
	}
	if st == nil {
		return u.errorf("The state is empty: there is nothing to remove")
	}
	addrs = expandModules(st, addrs) // a module address removes every VM in it
	var missing []string
	for _, a := range addrs {
		if st.VMs[a] == nil {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		return u.errorf("No VM at %s in the state; nothing was removed", strings.Join(missing, ", "))
	}
	for _, a := range addrs {
		vm := st.VMs[a]
		st.Abandoned = append(st.Abandoned, state.Ref{Provider: vm.Provider, ID: vm.ID})
		delete(st.VMs, a)
	}
	st.Serial++
	if err := ws.Store.Write(ctx, st); err != nil {
		return u.stateError("Cannot write the state", err)
	}
	recs := make([]state.HistoryRecord, len(addrs))
	runID := workspace.NewID()
	for i, a := range addrs {
		recs[i] = state.HistoryRecord{Kind: state.RecordStateRm, Time: time.Now().UTC(), RunID: runID, Who: workspace.Who(),
			Operation: "state rm", Address: a, Outcome: state.OutcomeOK, Serial: st.Serial}
	}
	if err := ws.Store.AppendHistory(ctx, recs); err != nil {
		u.diagnostics(warning("The audit record was not written", workspace.Message(err)))
	}
	for _, a := range addrs {
		u.printf("Removed %s: NovaCron no longer manages it; the VM itself is untouched.\n", a)
	}
	return 0
}

// stateError prints an error of the state store: the summary, then what
// the store said as the detail, so that a list of problems prints one a
// line (a summary is one line, and escapes line breaks).
func (u *ui) stateError(summary string, err error) int {
	u.diagnostics(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: spec.Sentence(workspace.Message(err))}})
	return 1
}
