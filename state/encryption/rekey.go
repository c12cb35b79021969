package encryption

import (
	"errors"
	"sync"

	"github.com/novacron/novacron/state"
)

// Rekey is the state.Sealer `nova-plan state rekey` reads and writes
// through: it opens documents with Old and seals them with New. Old nil
// reads plaintext only (a sealed document is state.ErrNoKey); New nil
// stores plaintext (`state rekey -decrypt`), the one Sealer whose Seal
// returns its input. A document Old's key does not open but New's does
// was rekeyed already (an interrupted rekey run again): Open returns it
// and OpenedWithNew reports it, so it is not written again.
type Rekey struct {
	Old, New *Sealer

	mu      sync.Mutex
	withNew bool
}

var _ state.Sealer = (*Rekey)(nil)

// Seal seals with New, or returns plain when New is nil.
func (r *Rekey) Seal(plain []byte) ([]byte, error) {
	if r.New == nil {
		return plain, nil
	}
	return r.New.Seal(plain)
}

// Open opens with Old, and a document Old refuses with New.
func (r *Rekey) Open(stored []byte) ([]byte, error) {
	var plain []byte
	var err error
	if r.Old == nil {
		plain, err = state.OpenStored(nil, stored)
	} else {
		plain, err = r.Old.Open(stored)
	}
	if err == nil || r.New == nil || !(errors.Is(err, state.ErrNoKey) || IsWrongKey(err)) {
		return plain, err
	}
	if again, errNew := r.New.Open(stored); errNew == nil {
		r.mu.Lock()
		r.withNew = true
		r.mu.Unlock()
		return again, nil
	}
	return nil, err
}

// CheckKey is state.KeyChecker's: decided by Old, or by New for a
// document Old's key does not open; undecided without Old.
func (r *Rekey) CheckKey(head []byte) (bool, error) {
	if r.Old == nil {
		return false, nil
	}
	decided, err := r.Old.CheckKey(head)
	if !decided || err == nil || r.New == nil || !IsWrongKey(err) {
		return decided, err
	}
	if ok, errNew := r.New.CheckKey(head); ok && errNew == nil {
		return true, nil
	}
	return true, err
}

// OpenedWithNew reports whether Open has returned a document sealed with
// New's key since the last call, and forgets it.
func (r *Rekey) OpenedWithNew() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.withNew
	r.withNew = false
	return w
}
