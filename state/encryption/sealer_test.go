package encryption

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func mustKeySealer(t testing.TB, b byte) *Sealer {
	t.Helper()
	s, err := NewWithKey(testKey(b), EnvKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustPassSealer(t testing.TB, pass string) *Sealer {
	t.Helper()
	s, err := NewWithPassphrase(pass, EnvPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sampleDoc is a state document with names, addresses and tags to look
// for in the sealed bytes.
func sampleDoc(t testing.TB, n int) []byte {
	t.Helper()
	st := state.New("lineage-secret-test")
	st.Serial = 3
	for i := range n {
		st.VMs[fmt.Sprintf("fleet.payroll[%d]", i)] = &state.VM{
			Provider: "sim.lab", ID: fmt.Sprintf("vm-%05d", i), Fleet: "fleet.payroll",
			Name: fmt.Sprintf("payroll-db-%05d", i), CPU: 2, MemoryMiB: 4096, DiskGB: 40, Power: "running",
			Tags: map[string]string{"owner": "alice-finance"}, DependsOn: []string{"vm.gateway"},
		}
	}
	data, err := state.Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRoundTrip: a sealed document begins with state.SealedPrefix, holds
// none of the plaintext, differs at every Seal (fresh nonce) and opens to
// the plaintext, with a key and with a passphrase, by this Sealer and by
// another one from the same key (another process).
func TestRoundTrip(t *testing.T) {
	plain := sampleDoc(t, 3)
	for _, tc := range []struct {
		name      string
		writer    func() *Sealer
		newReader func() *Sealer
	}{
		{"key", func() *Sealer { return mustKeySealer(t, 1) }, func() *Sealer { return mustKeySealer(t, 1) }},
		{"passphrase", func() *Sealer { return mustPassSealer(t, "correct horse battery") }, func() *Sealer { return mustPassSealer(t, "correct horse battery") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.writer()
			a, err := w.Seal(plain)
			if err != nil {
				t.Fatal(err)
			}
			b, err := w.Seal(plain)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(a, []byte(state.SealedPrefix)) || !state.IsSealed(a) {
				t.Errorf("sealed bytes do not begin with %s: %.60s", state.SealedPrefix, a)
			}
			if bytes.Equal(a, b) {
				t.Error("two Seals of one document gave the same bytes: the nonce is not fresh")
			}
			for _, word := range []string{"payroll", "alice-finance", "lineage-secret-test", "vm-00001", "gateway"} {
				if bytes.Contains(a, []byte(word)) {
					t.Errorf("sealed bytes contain %q", word)
				}
			}
			for name, s := range map[string]*Sealer{"same sealer": w, "another sealer": tc.newReader()} {
				got, err := s.Open(a)
				if err != nil {
					t.Fatalf("%s: Open: %v", name, err)
				}
				if diff := cmp.Diff(string(plain), string(got)); diff != "" {
					t.Errorf("%s: round trip (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

// TestWrongKey: a document opened with another key, another passphrase,
// or a key where it was sealed with a passphrase (and the reverse) is a
// *WrongKeyError that says which, naming the variable; never garbage.
func TestWrongKey(t *testing.T) {
	plain := sampleDoc(t, 1)
	keyA, keyB := mustKeySealer(t, 1), mustKeySealer(t, 2)
	passA, passB := mustPassSealer(t, "first passphrase"), mustPassSealer(t, "second passphrase")
	byKey, err := keyA.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	byPass, err := passA.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	fpA, fpB := fingerprint(testKey(1)), fingerprint(testKey(2))
	for _, tc := range []struct {
		name   string
		opener *Sealer
		stored []byte
		want   string
	}{
		{"another key", keyB, byKey, fmt.Sprintf("the state was encrypted with another key (fingerprint %s), not the one in NOVA_STATE_KEY (fingerprint %s): set NOVA_STATE_KEY to the key it was written with", fpA, fpB)},
		{"another passphrase", passB, byPass, "the state was encrypted with another passphrase, not the one in NOVA_STATE_PASSPHRASE: set NOVA_STATE_PASSPHRASE to the passphrase it was written with"},
		{"key for a passphrase", keyA, byPass, "the state was encrypted with a passphrase, not a key: set NOVA_STATE_PASSPHRASE to that passphrase instead of NOVA_STATE_KEY"},
		{"passphrase for a key", passA, byKey, fmt.Sprintf("the state was encrypted with a key (fingerprint %s), not a passphrase: set NOVA_STATE_KEY to that key instead of NOVA_STATE_PASSPHRASE", fpA)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.opener.Open(tc.stored)
			if got != nil || !IsWrongKey(err) {
				t.Fatalf("Open = %q, %v; want a *WrongKeyError", got, err)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTampered: any altered byte of the ciphertext, the nonce or a header
// field, a cut-short document, or one that is not an envelope is a
// *DamagedError, never a wrong plaintext; with a key and with a
// passphrase. (A passphrase's salt and parameters are checked through the
// key they derive: altered, they read as another passphrase.)
func TestTampered(t *testing.T) {
	for name, s := range map[string]*Sealer{"key": mustKeySealer(t, 1), "passphrase": mustPassSealer(t, "tamper passphrase")} {
		t.Run(name, func(t *testing.T) { testTampered(t, s) })
	}
}

func testTampered(t *testing.T, s *Sealer) {
	sealed, err := s.Seal(sampleDoc(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	alter := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(sealed, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		delete(m, "novacron_sealed_state")
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		// json.Marshal sorts keys; put the version first again.
		return append([]byte(state.SealedPrefix+"1,"), out[1:]...)
	}
	flip := func(field string) func(m map[string]any) {
		return func(m map[string]any) {
			b, _ := base64.StdEncoding.DecodeString(m[field].(string))
			b[len(b)/2] ^= 1
			m[field] = base64.StdEncoding.EncodeToString(b)
		}
	}
	cases := map[string][]byte{
		"ciphertext bit":  alter(flip("ciphertext")),
		"nonce bit":       alter(flip("nonce")),
		"cut short":       sealed[:len(sealed)/2],
		"not an envelope": []byte(state.SealedPrefix + `1, "alg": 7}`),
		"unknown kdf":     alter(func(m map[string]any) { m["kdf"] = "md5" }),
		"trailing text":   append(append([]byte{}, sealed...), " {}"...),
	}
	if s.fixed != nil {
		cases["header field added"] = alter(func(m map[string]any) { m["salt"] = "c2FsdHNhbHRzYWx0" })
	} else {
		cases["huge argon memory"] = alter(func(m map[string]any) {
			m["kdf_params"] = map[string]any{"time": 1, "memory_kib": 1 << 31, "threads": 1}
		})
	}
	if _, err := s.Open(alter(func(map[string]any) {})); err != nil {
		t.Fatalf("the untouched re-encoded envelope does not open: %v", err)
	}
	for name, stored := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := s.Open(stored)
			var d *DamagedError
			if got != nil || !errors.As(err, &d) {
				t.Fatalf("Open = %.40q, %v; want a *DamagedError", got, err)
			}
			if !strings.HasPrefix(err.Error(), "the encrypted state is damaged: ") {
				t.Errorf("message %q", err)
			}
		})
	}
}

// TestOpenPlaintext: a plaintext document is returned unchanged and
// OpenedPlaintext reports it once.
func TestOpenPlaintext(t *testing.T) {
	s := mustKeySealer(t, 1)
	plain := sampleDoc(t, 1)
	got, err := s.Open(plain)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open(plaintext) = %.40q, %v", got, err)
	}
	if !s.OpenedPlaintext() {
		t.Error("OpenedPlaintext = false after opening a plaintext document")
	}
	if s.OpenedPlaintext() {
		t.Error("OpenedPlaintext = true a second time")
	}
}

// TestPassphraseDerivedOnce: the writes that follow a read reuse the
// read document's salt and key: one derivation in all. A new Sealer that
// writes first makes its own salt.
func TestPassphraseDerivedOnce(t *testing.T) {
	first := mustPassSealer(t, "derive me once")
	sealed, err := first.Seal(sampleDoc(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	s := mustPassSealer(t, "derive me once")
	if _, err := s.Open(sealed); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := s.Seal(sampleDoc(t, 1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Open(again); err != nil {
			t.Fatal(err)
		}
		e, err := decodeEnvelope(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(e.Salt, first.writing.salt) {
			t.Fatal("a write after a read used a new salt")
		}
	}
	if n := len(s.derived); n != 1 {
		t.Errorf("%d derivations for one read and five writes, want 1", n)
	}
	other := mustPassSealer(t, "derive me once")
	if _, err := other.Seal(sampleDoc(t, 1)); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other.writing.salt, first.writing.salt) {
		t.Error("two Sealers made the same salt")
	}
}
