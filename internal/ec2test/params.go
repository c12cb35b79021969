package ec2test

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// params is a request's form, read strictly: every key an action reads is
// marked, and a key no action read is an UnknownParameter error before
// the action changes anything.
type params struct {
	v    url.Values
	used map[string]bool
}

func newParams(v url.Values) *params {
	return &params{v: v, used: map[string]bool{"Action": true, "Version": true}}
}

// has reports whether the key was sent.
func (p *params) has(key string) bool {
	_, ok := p.v[key]
	return ok
}

// str reads a key; "" when it was not sent.
func (p *params) str(key string) string {
	p.used[key] = true
	return p.v.Get(key)
}

// required reads a key that must be sent.
func (p *params) required(key string) (string, *apiError) {
	if !p.has(key) || p.v.Get(key) == "" {
		return "", apiErr("MissingParameter", "The request must contain the parameter %s", key)
	}
	return p.str(key), nil
}

// integer reads a whole number; def when it was not sent.
func (p *params) integer(key string, def int) (int, *apiError) {
	if !p.has(key) {
		return def, nil
	}
	n, err := strconv.Atoi(p.str(key))
	if err != nil {
		return 0, apiErr("InvalidParameterValue", "Value (%s) for parameter %s is invalid. Expected an integer.", p.v.Get(key), key)
	}
	return n, nil
}

// boolean reads true or false; def when it was not sent.
func (p *params) boolean(key string, def bool) (bool, *apiError) {
	if !p.has(key) {
		return def, nil
	}
	switch p.str(key) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, apiErr("InvalidParameterValue", "Value (%s) for parameter %s is invalid. Expected a boolean.", p.v.Get(key), key)
}

// list reads prefix.1, prefix.2, … up to the first number not sent.
func (p *params) list(prefix string) []string {
	var out []string
	for i := 1; p.has(fmt.Sprintf("%s.%d", prefix, i)); i++ {
		out = append(out, p.str(fmt.Sprintf("%s.%d", prefix, i)))
	}
	return out
}

// groups counts the members prefix.1.…, prefix.2.… up to the first number
// no key starts with.
func (p *params) groups(prefix string) int {
	n := 0
	for p.hasPrefix(fmt.Sprintf("%s.%d.", prefix, n+1)) {
		n++
	}
	return n
}

// hasPrefix reports whether a key sent starts with head.
func (p *params) hasPrefix(head string) bool {
	for k := range p.v {
		if strings.HasPrefix(k, head) {
			return true
		}
	}
	return false
}

// tags reads prefix.N.Key and prefix.N.Value.
func (p *params) tags(prefix string) ([]tag, *apiError) {
	var out []tag
	for i := 1; i <= p.groups(prefix); i++ {
		k, err := p.required(fmt.Sprintf("%s.%d.Key", prefix, i))
		if err != nil {
			return nil, err
		}
		out = append(out, tag{Key: k, Value: p.str(fmt.Sprintf("%s.%d.Value", prefix, i))})
	}
	return out, nil
}

// unused lists the keys sent that no action read, sorted.
func (p *params) unused() []string {
	var out []string
	for k := range p.v {
		if !p.used[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
