package addrs

import (
	"cmp"
	"strconv"
	"strings"
)

// keyKind says which of its forms a Key has.
type keyKind uint8

const (
	noKey keyKind = iota
	intKey
	stringKey
)

// Key is an instance's key within its fleet: none (a fleet without count
// or for_each, and every vm block), a count index, or a for_each key. The
// zero value is NoKey. Keys are comparable, so addresses can be map keys.
type Key struct {
	kind keyKind
	i    int
	s    string
}

// NoKey is the key of the one instance of a fleet without count or
// for_each, and of a vm block.
var NoKey = Key{}

// IntKey is a count index.
func IntKey(i int) Key { return Key{kind: intKey, i: i} }

// StringKey is a for_each key.
func StringKey(s string) Key { return Key{kind: stringKey, s: s} }

// Int returns a count index, and whether k is one.
func (k Key) Int() (int, bool) { return k.i, k.kind == intKey }

// Str returns a for_each key, and whether k is one.
func (k Key) Str() (string, bool) { return k.s, k.kind == stringKey }

// IsNone reports whether k is NoKey.
func (k Key) IsNone() bool { return k.kind == noKey }

// String is the key as an address writes it: "", "[2]" or `["a"]`.
func (k Key) String() string {
	switch k.kind {
	case intKey:
		return "[" + strconv.Itoa(k.i) + "]"
	case stringKey:
		return "[" + strconv.Quote(k.s) + "]"
	}
	return ""
}

// Compare orders keys: NoKey, then count indexes in number order, then
// for_each keys in string order.
func (k Key) Compare(l Key) int {
	if k.kind != l.kind {
		return int(k.kind) - int(l.kind)
	}
	if k.kind == intKey {
		return cmp.Compare(k.i, l.i)
	}
	return strings.Compare(k.s, l.s)
}
