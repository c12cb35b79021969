// Package secret turns sensitive values into digests that show whether a
// value is the same without keeping it: the sensitive variables of a saved
// plan.
//
// Digests are argon2id (golang.org/x/crypto), salted, so that what lands in
// a file cannot be reversed by hashing guesses quickly. The package keeps
// and prints no values, and reads no files.
package secret
