package statetest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
)

// SealedWorkspace is one workspace of a backend under test, for
// RunSealed: Open returns a store over it that seals with sealer (nil:
// none), every call over the same data; Stored returns the bytes the
// backend keeps for its document (the file, the row), nil when there are
// none.
type SealedWorkspace struct {
	Open   func(sealer state.Sealer) state.Store
	Stored func() []byte
}

// RunSealed runs the encryption suite: newWorkspace returns a fresh,
// empty workspace each call.
func RunSealed(t *testing.T, newWorkspace func(t *testing.T) SealedWorkspace) {
	t.Helper()
	tests := []struct {
		name string
		test func(*testing.T, SealedWorkspace)
	}{
		{"SealedRoundTrip", testSealedRoundTrip},
		{"SealedWrongKey", testSealedWrongKey},
		{"SealedNoKey", testSealedNoKey},
		{"SealedAfterPlaintext", testSealedAfterPlaintext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, newWorkspace(t)) })
	}
}

// sealerOf returns a Sealer over a key made of b.
func sealerOf(t *testing.T, b byte) *encryption.Sealer {
	t.Helper()
	s, err := encryption.NewWithKey(bytes.Repeat([]byte{b}, encryption.KeySize), encryption.EnvKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// plaintextWords are texts of sampleState that must not appear in sealed
// bytes: names, addresses, tag values, the lineage.
var plaintextWords = []string{"web-01", "fleet.web", "prod", "lineage-1234", "tpl-ubuntu", "host-1"}

// testSealedRoundTrip: a sealed store reads back what it wrote, a second
// store with the same key (another process) too, and the stored bytes
// are sealed and hold none of the document's words.
func testSealedRoundTrip(t *testing.T, ws SealedWorkspace) {
	want := sampleState(1, 3)
	if err := ws.Open(sealerOf(t, 1)).Write(t.Context(), want); err != nil {
		t.Fatalf("Write: %v", err)
	}
	stored := ws.Stored()
	if !state.IsSealed(stored) {
		t.Fatalf("the stored bytes are not sealed: %.80q", stored)
	}
	for _, w := range plaintextWords {
		if bytes.Contains(stored, []byte(w)) {
			t.Errorf("the stored bytes contain %q", w)
		}
	}
	got, err := ws.Open(sealerOf(t, 1)).Read(t.Context())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// testSealedWrongKey: another key's Read is an error naming the key and
// its Write changes nothing.
func testSealedWrongKey(t *testing.T, ws SealedWorkspace) {
	if err := ws.Open(sealerOf(t, 1)).Write(t.Context(), sampleState(1, 2)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	before := ws.Stored()
	other := ws.Open(sealerOf(t, 2))
	if st, err := other.Read(t.Context()); st != nil || !encryption.IsWrongKey(err) {
		t.Fatalf("Read with another key = %v, %v; want a *encryption.WrongKeyError", st, err)
	}
	if err := other.Write(t.Context(), sampleState(2, 2)); err == nil {
		t.Error("Write with another key over a sealed document succeeded")
	}
	if !bytes.Equal(before, ws.Stored()) {
		t.Error("the stored bytes changed")
	}
}

// testSealedNoKey: without a key, a sealed document's Read is
// state.ErrNoKey and a Write over it changes nothing.
func testSealedNoKey(t *testing.T, ws SealedWorkspace) {
	if err := ws.Open(sealerOf(t, 1)).Write(t.Context(), sampleState(1, 2)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	before := ws.Stored()
	bare := ws.Open(nil)
	if st, err := bare.Read(t.Context()); st != nil || !errors.Is(err, state.ErrNoKey) {
		t.Fatalf("Read without a key = %v, %v; want state.ErrNoKey", st, err)
	}
	if err := bare.Write(t.Context(), sampleState(2, 2)); err == nil {
		t.Error("Write without a key over a sealed document succeeded")
	}
	if !bytes.Equal(before, ws.Stored()) {
		t.Error("the stored bytes changed")
	}
}

// testSealedAfterPlaintext: a store with a key reads a plaintext document
// (encryption turned on) and its next write seals it.
func testSealedAfterPlaintext(t *testing.T, ws SealedWorkspace) {
	if err := ws.Open(nil).Write(t.Context(), sampleState(1, 2)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	keyed := ws.Open(sealerOf(t, 1))
	st, err := keyed.Read(t.Context())
	if err != nil || st == nil {
		t.Fatalf("Read of plaintext with a key = %v, %v", st, err)
	}
	st.Serial++
	if err := keyed.Write(t.Context(), st); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if !state.IsSealed(ws.Stored()) {
		t.Error("the write after reading plaintext with a key stored plaintext")
	}
}
