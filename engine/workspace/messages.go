package workspace

import "github.com/novacron/novacron/internal/lazyregexp"

// pkgPrefix matches the Go package names lower layers put in front of
// their errors ("state/local: reading …"): useful in a log, noise to a
// user, who never named a package.
var pkgPrefix = lazyregexp.New(`(^|: )state(?:/[a-z]+)?: `)

// Message returns an error's text as a user should read it: without Go
// package names.
func Message(err error) string { return userText(err.Error()) }

func userText(s string) string { return pkgPrefix.ReplaceAllString(s, "$1") }
