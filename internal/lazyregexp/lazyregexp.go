package lazyregexp

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled at its first use. It is safe for
// concurrent use, as *regexp.Regexp is.
type Regexp struct {
	re func() *regexp.Regexp
}

// New returns expr, to be compiled at its first use. expr must compile: a
// bad one panics there, as regexp.MustCompile would at start-up (each
// package's tests use its patterns).
func New(expr string) *Regexp {
	return &Regexp{re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// Regexp returns the compiled expression, compiling it now if it was not.
func (r *Regexp) Regexp() *regexp.Regexp { return r.re() }

// MatchString is regexp.Regexp's MatchString.
func (r *Regexp) MatchString(s string) bool { return r.re().MatchString(s) }

// FindStringSubmatch is regexp.Regexp's FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.re().FindStringSubmatch(s) }

// FindIndex is regexp.Regexp's FindIndex.
func (r *Regexp) FindIndex(b []byte) []int { return r.re().FindIndex(b) }

// FindAllIndex is regexp.Regexp's FindAllIndex.
func (r *Regexp) FindAllIndex(b []byte, n int) [][]int { return r.re().FindAllIndex(b, n) }

// ReplaceAllString is regexp.Regexp's ReplaceAllString.
func (r *Regexp) ReplaceAllString(src, repl string) string { return r.re().ReplaceAllString(src, repl) }

// String returns the source text of the expression, compiling it.
func (r *Regexp) String() string { return r.re().String() }
