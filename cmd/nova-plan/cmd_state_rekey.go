package main

import (
	"context"
	"fmt"
	"time"

	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state/encryption"
)

// stateRekey re-encrypts the state of every workspace of the spec's
// backend: read with the key
// of NOVA_STATE_KEY (or NOVA_STATE_PASSPHRASE), written with that of
// NOVA_STATE_NEW_KEY (or NOVA_STATE_NEW_PASSPHRASE), or in plaintext with
// -decrypt.
func stateRekey(args []string, e *env) int {
	fs := newFlags("state rekey", "", e)
	decrypt := fs.Bool("decrypt", false, "store the state unencrypted again instead of under a new key")
	var lockTimeout time.Duration
	lockTimeoutFlag(fs, &lockTimeout)
	var bf backendFlags
	bf.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() > 0 {
		return u.errorf("state rekey takes no arguments: the keys come from the environment (%s or %s, and %s or %s)",
			encryption.EnvKey, encryption.EnvPassphrase, encryption.EnvNewKey, encryption.EnvNewPassphrase)
	}
	r, code, ok := rekeySealers(u, e, *decrypt)
	if !ok {
		return code
	}
	ctx := context.Background()
	o := bf.options(e)
	o.Sealer = r
	ws, diags := workspace.OpenBackendOnly(ctx, ".", catalog.Default(), o)
	if ws = opened(u, ws, diags); ws == nil {
		return 1
	}
	defer closeWorkspace(u, ws)
	done, err := ws.Rekey(ctx, r, lockTimeout)
	n := map[workspace.RekeyOutcome]int{}
	for _, d := range done {
		n[d.Outcome]++
	}
	if err != nil {
		if len(done) > 0 {
			u.printf("%s\n", rekeySummary(n, r))
		}
		return u.stateError("Cannot rekey the state", err)
	}
	u.printf("%s\n", rekeySummary(n, r))
	return 0
}

// rekeySealers reads the old and new keys from the environment.
func rekeySealers(u *ui, e *env, decrypt bool) (*encryption.Rekey, int, bool) {
	old, err := encryption.FromEnv(e.environ)
	if err != nil {
		return nil, u.errorf("%v", err), false
	}
	next, err := encryption.NewFromEnv(e.environ)
	if err != nil {
		return nil, u.errorf("%v", err), false
	}
	switch {
	case decrypt && next != nil:
		return nil, u.errorf("state rekey -decrypt stores the state unencrypted, but %s or %s is set too: unset it, or leave out -decrypt", encryption.EnvNewKey, encryption.EnvNewPassphrase), false
	case !decrypt && next == nil:
		return nil, u.errorf("state rekey needs the new key: set %s (or %s) to it, or give -decrypt to store the state unencrypted again", encryption.EnvNewKey, encryption.EnvNewPassphrase), false
	}
	return &encryption.Rekey{Old: old, New: next}, 0, true
}

// rekeySummary says how many documents were rewritten, and how.
func rekeySummary(n map[workspace.RekeyOutcome]int, r *encryption.Rekey) string {
	how := "unencrypted"
	if r.New != nil {
		how = "encrypted with " + r.New.Describe()
	}
	msg := fmt.Sprintf("Rewrote %s, %s.", plural(n[workspace.Rekeyed], "state document"), how)
	if k := n[workspace.AlreadyRekey]; k > 0 {
		msg += fmt.Sprintf(" Left %s already encrypted with the new key as it was.", plural(k, "state document"))
	}
	if k := n[workspace.NoState]; k > 0 {
		msg += fmt.Sprintf(" Skipped %s with no state yet.", plural(k, "workspace"))
	}
	if r.New != nil {
		msg += fmt.Sprintf(" From now on give the new key in %s.", encryption.CurrentVar(r.New.Var()))
	}
	return msg
}
