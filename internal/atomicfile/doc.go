// Package atomicfile replaces a file so that a reader sees the old file or
// the new one, never part of one, and a crash leaves one of them: the
// server's users file, signing key and password file, and the API-owned
// workspace's spec file.
package atomicfile
