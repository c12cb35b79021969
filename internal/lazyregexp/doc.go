// Package lazyregexp holds regular expressions that a package declares at
// its top level but compiles only when first used: a package-level
// regexp.MustCompile runs at every start of every program that links the
// package, and nova-plan links every driver (issue 15: start-up is part
// of a 10,000-VM plan's time). An expression used once per process costs
// the same compiled early or late; one a command never uses costs nothing.
//
// It wraps regexp and nothing else: the patterns, and what they mean,
// stay with the packages that use them.
package lazyregexp
