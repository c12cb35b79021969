// Package auth says who a request is and what it may do. Users have
// argon2id or bcrypt password hashes (golang.org/x/crypto) in the users
// file (.nova/server/users.json, mode 0600, written atomically under a
// lock, read again by the server whenever it changes); logging in gives a
// short-lived token signed with HMAC-SHA256 under the server's key
// (.nova/server/signing.key) that names the user and their generation
// (made new when the user is added, their password set or they are
// disabled, which ends their tokens), whose roles are read from the file
// at each request; API tokens (for CI) are kept as SHA-256
// hashes only. Each user or token has a role — viewer, operator or admin —
// per workspace, or for all ("*"). Failed logins are rate limited per user
// name and client address (tight), per client address (looser) and per
// user name (loosest, and not for addresses the user logged in from), in
// bounded memory. Service implements
// Authenticator for the server; the functions of admin.go change the file
// for the CLI (nova-plan serve user …, serve token …). docs/users.md is
// the user's guide.
//
// Nothing here writes a password, a token or a hash to a log, an error or
// a response, and nothing here starts a goroutine.
package auth
