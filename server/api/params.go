package api

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/novacron/novacron/engine/addrs"
)

// queryValues parses the query string strictly: a malformed escape, a
// parameter the route does not take, or one given twice is an error.
func queryValues(raw string, allowed []string) (url.Values, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, errors.New("the query string is malformed")
	}
	for k, vs := range q {
		if !slices.Contains(allowed, k) {
			if len(allowed) == 0 {
				return nil, fmt.Errorf("unknown query parameter %q: this route takes none", k)
			}
			return nil, fmt.Errorf("unknown query parameter %q: this route takes %s", k, strings.Join(allowed, ", "))
		}
		if len(vs) > 1 {
			return nil, fmt.Errorf("query parameter %q is given %d times; give it once", k, len(vs))
		}
	}
	return q, nil
}

// intParam reads an integer query parameter between lo and hi, def when
// it is absent.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	s, ok := q[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s[0])
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("query parameter %q must be a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}

// maxWait bounds a long poll of a run.
const maxWait = 60 * time.Second

// waitParam reads ?wait=: a duration such as 30s, or whole seconds, at
// most maxWait.
func waitParam(q url.Values) (time.Duration, error) {
	s := q.Get("wait")
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		n, nerr := strconv.Atoi(s)
		d, err = time.Duration(n)*time.Second, nerr
	}
	if err != nil || d < 0 || d > maxWait {
		return 0, fmt.Errorf("query parameter \"wait\" must be a duration from 0s to %s, such as 30s", maxWait)
	}
	return d, nil
}

// statusParam reads ?status=: running or stopped.
func statusParam(q url.Values) (string, error) {
	s := q.Get("status")
	switch s {
	case "", "running", "stopped":
		return s, nil
	}
	return "", errors.New("query parameter \"status\" must be running or stopped")
}

// checkName refuses a workspace name that cannot be a folder directly
// under the root: empty, . or .., or holding a slash, a backslash or a
// control character.
func checkName(name string) error {
	ok := name != "" && name != "." && name != ".." && len(name) <= 255 && utf8.ValidString(name) &&
		!strings.ContainsAny(name, `/\`) && !strings.ContainsFunc(name, unicode.IsControl)
	if !ok {
		return errors.New("invalid workspace name: a workspace is a folder directly under the served folder")
	}
	return nil
}

// splitVMID splits a VM id, WORKSPACE:ADDRESS (or WORKSPACE:PROVIDER/ID
// for a VM no spec owns), into its workspace and the rest.
func splitVMID(id string) (string, error) {
	ws, rest, ok := strings.Cut(id, ":")
	if !ok || checkName(ws) != nil || !vmRest(rest) {
		return "", errors.New("invalid VM id: an id is WORKSPACE:ADDRESS, such as quickstart:fleet.web[0], or WORKSPACE:PROVIDER/ID for a VM no spec owns, URL-escaped in the path")
	}
	return ws, nil
}

// vmRest reports whether the part of a VM id after the workspace is an
// address (fleet.NAME[INDEX], vm.NAME …) or PROVIDER/ID, both non-empty.
func vmRest(rest string) bool {
	if rest == "" || !utf8.ValidString(rest) || strings.ContainsFunc(rest, unicode.IsControl) {
		return false
	}
	if provider, vmID, unowned := strings.Cut(rest, "/"); unowned {
		return provider != "" && vmID != ""
	}
	_, err := addrs.ParseInstance(rest)
	return err == nil
}
