package workspace

import (
	"errors"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
)

// StateSealer returns the Sealer of the environment env (NOVA_STATE_KEY or
// NOVA_STATE_PASSPHRASE), or nil when neither is set: the state is then
// stored in plaintext, unless enc.Required (the spec's `novacron { encryption
// { required = true } }`), which makes the missing key an error. Its
// diagnostics never quote a key or passphrase.
func StateSealer(env []string, enc spec.EncryptionSetting) (*encryption.Sealer, hcl.Diagnostics) {
	s, err := encryption.FromEnv(env)
	if err != nil {
		return nil, errorDiag("Invalid state encryption key", err)
	}
	if s == nil && enc.Required {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "State encryption is required",
			Detail: "The spec's novacron block requires encrypted state, but neither " + encryption.EnvKey + " nor " + encryption.EnvPassphrase +
				" is set. Set one of them to the key the state is encrypted with; nothing was read or written.",
			Subject: enc.Range.Ptr()}}
	}
	return s, nil
}

// sealer returns the Sealer the backend is opened with: o.Sealer when
// set, else the environment's (kept in w.Sealer).
func (w *Workspace) sealer(cfg *spec.BackendConfig, o BackendOptions) (state.Sealer, hcl.Diagnostics) {
	if r, ok := o.Sealer.(*encryption.Rekey); ok && r.New == nil && cfg.Encryption.Required {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "State encryption is required",
			Detail:  "The spec's novacron block requires encrypted state, so state rekey -decrypt, which would store it unencrypted, is refused; nothing was read or written.",
			Subject: cfg.Encryption.Range.Ptr()}}
	}
	if o.Sealer != nil {
		return o.Sealer, nil
	}
	required := cfg.Encryption
	if o.NoDocuments {
		required = spec.EncryptionSetting{}
	}
	s, diags := StateSealer(o.Env, required)
	if s == nil {
		return nil, diags // not a typed nil: the backend must see no Sealer
	}
	w.Sealer = s
	if cfg.Encryption.Required {
		return sealedOnly{s}, diags
	}
	return s, diags
}

// sealedOnly is the Sealer of a spec that requires encryption: it refuses
// to open a plaintext stored document (someone who can write the state
// but has no key could otherwise downgrade it), except through state
// rekey, which gives its own Sealer.
type sealedOnly struct{ *encryption.Sealer }

// ErrPlaintextRequired is a plaintext stored document read when the spec
// requires encryption.
var ErrPlaintextRequired = errors.New("it is not encrypted but the spec requires encryption (novacron { encryption { required = true } }); " +
	"nothing was read or written. Run `nova-plan state rekey` to encrypt it, with NOVA_STATE_NEW_KEY (or NOVA_STATE_NEW_PASSPHRASE) set to the key to encrypt it with")

func (s sealedOnly) Open(stored []byte) ([]byte, error) {
	if !state.IsSealed(stored) {
		return nil, ErrPlaintextRequired
	}
	return s.Sealer.Open(stored)
}

// StoreSealer returns w.Sealer as a state.Sealer for another backend
// opened for the same command (state migrate's old one); nil when the
// state is plaintext (never a typed nil).
func (w *Workspace) StoreSealer() state.Sealer {
	if w.Sealer == nil {
		return nil
	}
	return w.Sealer
}

// PlaintextNotice is a warning when the Sealer read a plaintext document:
// encryption was just turned on, and the next write encrypts the state.
func (w *Workspace) PlaintextNotice() hcl.Diagnostics {
	if w.Sealer == nil || !w.Sealer.OpenedPlaintext() {
		return nil
	}
	return hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "The state is not encrypted yet",
		Detail: "A key is given (" + w.Sealer.Describe() + "), but the stored state is plaintext. " +
			"The next command that writes it (apply, destroy, state rm, state mv, state push) encrypts it; `nova-plan state rekey` encrypts it now."}}
}

// sealRecovery returns a recovery document's bytes as the state is stored:
// sealed when the workspace has a key.
func (w *Workspace) sealRecovery(data []byte) ([]byte, error) {
	if w.Sealer == nil {
		return data, nil
	}
	return w.Sealer.Seal(data)
}
