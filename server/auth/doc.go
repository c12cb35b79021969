// Package auth says who a request is and what it may do. Users have
// argon2id or bcrypt password hashes (golang.org/x/crypto) in the users
// file; logging in gives a short-lived token signed with the server's key;
// API tokens (for CI) are kept as hashes only. Each user or token has a
// role — viewer, operator or admin — per workspace, or for all ("*").
// Logins are rate limited per user name and per client address. Nothing
// here writes a password, a token or a hash to a log or a response.
package auth
