// Package secret turns sensitive values into digests that show a change
// without keeping the value: a saved plan's sensitive variables, and the
// sensitive template settings that stand in TemplateRef.ID (and so in
// state, plans, markers and the provider's metadata).
//
// Digests are argon2id (golang.org/x/crypto), salted, so that what lands in
// a file cannot be reversed by hashing guesses quickly. The package keeps
// and prints no values, and reads no files.
package secret
