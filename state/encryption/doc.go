// Package encryption provides the state.Sealer that encrypts state
// documents at rest: AES-256-GCM (crypto/aes, crypto/cipher) under a key
// from NOVA_STATE_KEY (32 bytes, hex or base64), or under a key derived
// from NOVA_STATE_PASSPHRASE with argon2id (golang.org/x/crypto/argon2).
//
// A sealed document is a small JSON envelope (envelope.go) that begins
// with state.SealedPrefix and holds the envelope version, the algorithm,
// the KDF with its parameters and salt, a fingerprint of the key, a fresh
// random nonce and the ciphertext. Every envelope field but the nonce and
// the ciphertext is GCM additional data, so an altered header is refused
// like altered ciphertext. The fingerprint (an HMAC of a fixed label under
// the key; it reveals nothing of the key) tells a wrong key apart from a
// damaged document. Documents are not bound to a workspace name: `state
// migrate` and backups move a workspace's document, and the lineage already
// tells workspaces apart.
//
// A passphrase's key is derived once per salt and kept for the life of the
// Sealer: a Sealer writes every document with the salt of the first it
// opened (or one it made), so the writes of an apply (every 200 ms) cost no
// derivation.
//
// Open of a plaintext document returns it unchanged, so turning encryption
// on reads the old state and the next write encrypts it; OpenedPlaintext
// reports that it happened. This package never prints or returns a key, a
// passphrase or a plaintext; its errors name the environment variable, not
// its value. It must not decide when encryption is required (the spec's
// novacron block, engine/workspace) nor read the environment itself
// (FromEnv takes it as an argument).
package encryption
