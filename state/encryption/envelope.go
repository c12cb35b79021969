package encryption

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/novacron/novacron/internal/formatversion"
)

// EnvelopeVersion is the envelope format this build writes and reads.
const EnvelopeVersion = 1

// The algorithm and KDF names an envelope holds.
const (
	AlgAESGCM = "AES-256-GCM"
	KDFNone   = "none"     // the key is NOVA_STATE_KEY itself
	KDFArgon2 = "argon2id" // the key is derived from a passphrase
)

// header is what an envelope says about its ciphertext; its JSON text is
// GCM's additional data, so no field can be altered unnoticed. Its first
// field is the one state.SealedPrefix names.
type header struct {
	Version int          `json:"novacron_sealed_state"`
	Alg     string       `json:"alg"`
	KDF     string       `json:"kdf"`
	Params  *argonParams `json:"kdf_params,omitempty"`
	Salt    []byte       `json:"salt,omitempty"`
	KeyID   string       `json:"key_fingerprint"`
}

// envelope is a sealed document: the header, then the nonce and the
// ciphertext (base64, as encoding/json writes []byte). The ciphertext is
// written last so Open can cut it out rather than scan megabytes of it as
// JSON.
type envelope struct {
	header
	Nonce      []byte `json:"nonce"`
	Ciphertext []byte `json:"ciphertext"`
}

func (h *header) additionalData() []byte {
	b, err := json.Marshal(h)
	if err != nil {
		panic(err) // strings, ints and bytes always marshal
	}
	return b
}

// encode writes the envelope as encoding/json would, without a copy of
// the ciphertext through its encoder.
func (e *envelope) encode(aad []byte) []byte {
	enc := base64.StdEncoding
	out := make([]byte, 0, len(aad)+48+enc.EncodedLen(len(e.Nonce))+enc.EncodedLen(len(e.Ciphertext)))
	out = append(out, aad[:len(aad)-1]...) // the header without its '}'
	out = append(out, `,"nonce":"`...)
	out = enc.AppendEncode(out, e.Nonce)
	out = append(out, `","ciphertext":"`...)
	out = enc.AppendEncode(out, e.Ciphertext)
	return append(out, `"}`...)
}

const ciphertextKey = `"ciphertext":"`

// cutCiphertext splits an envelope whose last field is the ciphertext, as
// encode writes it, into the rest (a JSON object) and the ciphertext's
// base64 text.
func cutCiphertext(stored []byte) (rest, b64 []byte, ok bool) {
	t := bytes.TrimRight(stored, " \t\r\n")
	i := bytes.LastIndex(t, []byte(ciphertextKey))
	if i < 0 || !bytes.HasSuffix(t, []byte(`"}`)) {
		return nil, nil, false
	}
	b64 = t[i+len(ciphertextKey) : len(t)-2]
	head := bytes.TrimRight(t[:i], " \t\r\n")
	if bytes.ContainsAny(b64, `"\`) || !bytes.HasSuffix(head, []byte(",")) {
		return nil, nil, false
	}
	rest = append(bytes.Clone(head[:len(head)-1]), '}')
	return rest, b64, true
}

// decodeEnvelope reads a sealed document's envelope, refusing unknown
// fields, another version and missing parts. An envelope in another
// layout than encode's (reformatted) is read by encoding/json alone.
func decodeEnvelope(stored []byte) (*envelope, error) {
	var e envelope
	rest, b64, fast := cutCiphertext(stored)
	if !fast {
		rest = stored
	}
	// A newer envelope may have fields this build does not know: its
	// version says so before its fields are judged.
	if err := checkVersion(rest); err != nil {
		return nil, err
	}
	if err := strictJSON(rest, &e); err != nil {
		return nil, &DamagedError{Reason: "its envelope is not readable: " + err.Error()}
	}
	if fast {
		if e.Ciphertext != nil {
			return nil, &DamagedError{Reason: "its envelope holds two ciphertexts"}
		}
		var err error
		if e.Ciphertext, err = base64.StdEncoding.AppendDecode(nil, b64); err != nil {
			return nil, &DamagedError{Reason: "its ciphertext is not base64: " + err.Error()}
		}
	}
	return &e, e.check()
}

func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("there is more after it")
	}
	return nil
}

// checkVersion refuses an envelope of a newer version, and as damaged one
// whose version NovaCron never wrote (0, -1, a string, 1e99, missing).
// Text that is not a JSON object is left to strictJSON to refuse.
func checkVersion(rest []byte) error {
	var v struct {
		Version json.RawMessage `json:"novacron_sealed_state"`
	}
	if json.Unmarshal(rest, &v) != nil {
		return nil
	}
	n, ok := formatversion.Parse(v.Version)
	switch {
	case !ok:
		return &DamagedError{Reason: fmt.Sprintf("its envelope is not one NovaCron writes (%s; envelope versions are whole numbers from 1)",
			formatversion.Describe("novacron_sealed_state", v.Version))}
	case n > EnvelopeVersion:
		return newerEnvelope(n)
	}
	return nil
}

// unversioned reports whether stored bytes that do not begin with
// state.SealedPrefix are an envelope that lost its version: they begin as
// encode writes the field after it. No state document begins so.
func unversioned(stored []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(stored, " \t\r\n"), []byte(`{"alg":`))
}

func (e *envelope) check() error {
	if e.Version != EnvelopeVersion {
		return newerEnvelope(e.Version) // checkVersion refused every other
	}
	if e.Alg != AlgAESGCM {
		return &DamagedError{Reason: fmt.Sprintf("its algorithm is %q, not %q", e.Alg, AlgAESGCM)}
	}
	if len(e.Nonce) != nonceSize || len(e.Ciphertext) < tagSize {
		return &DamagedError{Reason: "its nonce or ciphertext is missing or cut short"}
	}
	return nil
}

// newerEnvelope refuses an envelope of another version: only version 1
// has been written, so another one comes from a newer NovaCron.
func newerEnvelope(v int) error {
	return fmt.Errorf("the encrypted state has envelope version %d; this build of NovaCron reads version %d: upgrade nova-plan to read it", v, EnvelopeVersion)
}
