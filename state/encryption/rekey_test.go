package encryption

import (
	"bytes"
	"errors"
	"testing"

	"github.com/novacron/novacron/state"
)

// TestRekeySealer: a Rekey opens with Old and seals with New; what it
// wrote opens with New and not with Old; a document New seals already is
// opened and reported; without Old a sealed document is state.ErrNoKey,
// and a plaintext one is sealed; without New it stores plaintext.
func TestRekeySealer(t *testing.T) {
	plain := sampleDoc(t, 2)
	oldKey, newKey := mustKeySealer(t, 1), mustPassSealer(t, "the new passphrase")
	byOld, err := oldKey.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	r := &Rekey{Old: oldKey, New: newKey}
	got, err := r.Open(byOld)
	if err != nil || !bytes.Equal(got, plain) || r.OpenedWithNew() {
		t.Fatalf("Rekey.Open(old) = %.30q, %v, OpenedWithNew", got, err)
	}
	byNew, err := r.Seal(got)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oldKey.Open(byNew); !IsWrongKey(err) {
		t.Errorf("the old key opens the rekeyed document: %v", err)
	}
	if got, err := mustPassSealer(t, "the new passphrase").Open(byNew); err != nil || !bytes.Equal(got, plain) {
		t.Errorf("the new passphrase does not open the rekeyed document: %v", err)
	}
	if got, err := r.Open(byNew); err != nil || !bytes.Equal(got, plain) || !r.OpenedWithNew() {
		t.Errorf("Rekey.Open(rekeyed) = %.30q, %v; want it opened with the new key and reported", got, err)
	}

	encrypt := &Rekey{New: newKey}
	if _, err := encrypt.Open(byOld); !errors.Is(err, state.ErrNoKey) {
		t.Errorf("Rekey without Old opened a document sealed with another key: %v", err)
	}
	if got, err := encrypt.Open(plain); err != nil || !bytes.Equal(got, plain) {
		t.Errorf("Rekey without Old: Open(plaintext) = %.30q, %v", got, err)
	}
	decrypt := &Rekey{Old: oldKey}
	if out, err := decrypt.Seal(plain); err != nil || !bytes.Equal(out, plain) {
		t.Errorf("Rekey without New: Seal = %.30q, %v; want the plaintext", out, err)
	}
}

// CheckKey decides from a document's head alone what Open would: nil for
// the key it was sealed with, a wrong key's error for another, ErrNoKey
// from no key; a head without the envelope's header is left undecided.
func TestCheckKey(t *testing.T) {
	a, b := mustKeySealer(t, 1), mustKeySealer(t, 2)
	pass, other := mustPassSealer(t, "correct horse battery"), mustPassSealer(t, "another passphrase")
	byA, byPass := mustSeal(t, a), mustSeal(t, pass)
	head := func(doc []byte) []byte { return doc[:min(len(doc), state.SealedHeadBytes)] }
	tests := []struct {
		name    string
		checker state.KeyChecker
		head    []byte
		decided bool
		wrong   bool
	}{
		{"same key", a, head(byA), true, false},
		{"another key", b, head(byA), true, true},
		{"a passphrase over a key", pass, head(byA), true, true},
		{"same passphrase", pass, head(byPass), true, false},
		{"another passphrase", other, head(byPass), true, true},
		{"rekey from the old key", &Rekey{Old: a, New: b}, head(byA), true, false},
		{"rekey already done", &Rekey{Old: b, New: a}, head(byA), true, false},
		{"rekey with neither", &Rekey{Old: b, New: pass}, head(byA), true, true},
		{"rekey from plaintext", &Rekey{New: a}, head(byA), false, false},
		{"a head cut before the nonce", a, byA[:40], false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			decided, err := tt.checker.CheckKey(tt.head)
			if decided != tt.decided || (err != nil) != tt.wrong || (tt.wrong && !IsWrongKey(err)) {
				t.Errorf("CheckKey = %v, %v; want decided %v, a wrong key %v", decided, err, tt.decided, tt.wrong)
			}
		})
	}
}

func mustSeal(t *testing.T, s state.Sealer) []byte {
	t.Helper()
	doc, err := s.Seal([]byte(`{"format_version":1}`))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
