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
