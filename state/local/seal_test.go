package local_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
	"github.com/novacron/novacron/state/statetest"
)

// xorSealer is a stand-in for state/encryption: it hides the document
// (XOR with a key byte, in base64) and tells a wrong key by the
// plaintext's first byte. It tests where the store calls a Sealer, not
// cryptography.
type xorSealer struct{ key byte }

func (x xorSealer) Seal(plain []byte) ([]byte, error) {
	buf := bytes.Clone(plain)
	for i := range buf {
		buf[i] ^= x.key
	}
	body, err := json.Marshal(base64.StdEncoding.EncodeToString(buf))
	return append(append([]byte(state.SealedPrefix), body...), '}'), err
}

func (x xorSealer) Open(stored []byte) ([]byte, error) {
	if !state.IsSealed(stored) {
		return stored, nil
	}
	var body map[string]string
	if err := json.Unmarshal(stored, &body); err != nil {
		return nil, err
	}
	buf, err := base64.StdEncoding.DecodeString(body["novacron_sealed_state"])
	if err != nil {
		return nil, err
	}
	for i := range buf {
		buf[i] ^= x.key
	}
	if len(buf) == 0 || buf[0] != '{' {
		return nil, errors.New("wrong key")
	}
	return buf, nil
}

func TestSealedConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T) state.Store { return local.New(t.TempDir(), local.WithSealer(xorSealer{0x5a})) })
}

func TestSealedBackendConformance(t *testing.T) {
	statetest.RunBackend(t, func(t *testing.T) state.Backend {
		b := local.NewBackend(t.TempDir(), local.WithSealer(xorSealer{0x5a}))
		t.Cleanup(func() { b.Close() })
		return b
	})
}

func TestSealedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, local.StateFile)
	plain, sealed, wrong := local.New(dir), local.New(dir, local.WithSealer(xorSealer{0x5a})), local.New(dir, local.WithSealer(xorSealer{0x33}))
	// A plaintext state is read through a sealer, and sealed by its next Write.
	st := docAt("lineage-secret", 1)
	st.VMs["vm.db"] = &state.VM{Provider: "sim.lab", ID: "vm-1", Fleet: "vm.db", Name: "db-secret", Power: "running"}
	if err := plain.Write(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	st.Serial = 2
	if err := sealed.Write(t.Context(), st); err != nil {
		t.Fatalf("sealed Write over a plaintext state: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !state.IsSealed(data) || bytes.Contains(data, []byte("secret")) {
		t.Fatalf("the sealed state file is not sealed, or shows its plaintext: %s", data)
	}
	if got, err := sealed.Read(t.Context()); err != nil || got.Serial != 2 || got.VMs["vm.db"].Name != "db-secret" {
		t.Errorf("sealed Read = (%+v, %v), want serial 2 with vm.db", got, err)
	}
	if _, err := plain.Read(t.Context()); !errors.Is(err, state.ErrNoKey) {
		t.Errorf("Read of a sealed state without a key = %v, want state.ErrNoKey", err)
	}
	if _, err := wrong.Read(t.Context()); err == nil {
		t.Errorf("Read of a sealed state with the wrong key succeeded")
	}
	for name, s := range map[string]*local.Store{"no key": plain, "wrong key": wrong} {
		if err := s.Write(t.Context(), docAt("lineage-secret", 3)); err == nil {
			t.Errorf("Write with %s over a sealed state succeeded", name)
		}
		wantUnchanged(t, path, string(data))
	}
	stale := st.Clone()
	stale.Serial = 2
	var conflict *state.ConflictError
	if err := sealed.Write(t.Context(), stale); !errors.As(err, &conflict) {
		t.Errorf("stale sealed Write = %v, want a *state.ConflictError", err)
	}
}

// TestSealedEncryption runs statetest.RunSealed with state/encryption's
// Sealer: no word of the document in the file, a wrong key or none refused
// with the file unchanged.
func TestSealedEncryption(t *testing.T) {
	statetest.RunSealed(t, func(t *testing.T) statetest.SealedWorkspace {
		dir := t.TempDir()
		return statetest.SealedWorkspace{
			Open: func(s state.Sealer) state.Store { return local.New(dir, local.WithSealer(s)) },
			Stored: func() []byte {
				b, _ := os.ReadFile(filepath.Join(dir, local.StateFile))
				return b
			},
		}
	})
}
