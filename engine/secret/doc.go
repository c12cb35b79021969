// Package secret keeps sensitive values out of what NovaCron shows and
// stores. It turns them into digests that show a change without keeping
// the value: a saved plan's sensitive variables (Hash, Verify), and the
// sensitive template settings that stand in TemplateRef.ID, and so in
// state, plans, markers and VM metadata (TemplateDigest,
// MatchTemplateDigest). And it removes them from messages (Redactor): the
// errors drivers return may quote what they were given.
//
// Digests are argon2id (golang.org/x/crypto), salted, so that what lands in
// a file cannot be reversed by hashing guesses quickly; each records its
// cost and salt, so it can be checked by whoever holds the value. Template
// digests are checked through a small in-process cache, per cost, salt and
// value. The package prints nothing and reads no files; it knows nothing of
// specs, drivers or the engine.
package secret
