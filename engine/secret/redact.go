package secret

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// MinRedacted is the length, in bytes, of the shortest text a Redactor
// hides. Hiding a shorter one would also hide the same letters wherever
// they occur in a message ("kvm", "true", a port), and garble it.
const MinRedacted = 6

// Placeholder stands in a message where a sensitive value was.
const Placeholder = "(sensitive value)"

// Redactor removes known sensitive values from text: the messages drivers
// return (a driver may quote the URI, pool, path or data it was given), and
// everything made from them. It hides each value in the forms a message may
// show it in: as given, quoted for Go or JSON, escaped for XML, HTML, a URL
// query or path, and, for a URL, its user, password, host and query values.
// A nil Redactor changes nothing.
type Redactor struct {
	r *strings.Replacer
}

// NewRedactor returns a Redactor of values. Values and forms shorter than
// MinRedacted are not hidden.
func NewRedactor(values []string) *Redactor {
	seen := map[string]bool{}
	for _, v := range values {
		for _, f := range forms(v) {
			if len(f) >= MinRedacted {
				seen[f] = true
			}
		}
	}
	if len(seen) == 0 {
		return nil
	}
	// At one position the Replacer takes the first old string that
	// matches, so the longest go first: a URL before the user name in it.
	olds := slices.SortedFunc(maps.Keys(seen), func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	pairs := make([]string, 0, 2*len(olds))
	for _, o := range olds {
		pairs = append(pairs, o, Placeholder)
	}
	return &Redactor{r: strings.NewReplacer(pairs...)}
}

// String returns s with every sensitive value replaced by Placeholder.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" {
		return s
	}
	return r.r.Replace(s)
}

// Error returns err with a redacted message, or err itself when there is
// nothing to hide. errors.Is sees through it; the original message is not
// reachable from it.
func (r *Redactor) Error(err error) error {
	if err == nil || r == nil {
		return err
	}
	msg := err.Error()
	if red := r.String(msg); red != msg {
		return &redacted{msg: red, err: err}
	}
	return err
}

// redacted is an error whose message had sensitive values removed.
type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }

// Is lets errors.Is match what the original wraps (context.Canceled, a
// driver's kind sentinel) without offering the original to errors.As.
func (e *redacted) Is(target error) bool { return errors.Is(e.err, target) }

// forms returns v and the other spellings a message may give it in.
func forms(v string) []string {
	if v == "" {
		return nil
	}
	q := strconv.Quote(v)
	out := []string{v, q[1 : len(q)-1], url.QueryEscape(v), url.PathEscape(v), (&url.URL{Path: v}).EscapedPath(), html.EscapeString(v), jsonText(v, true), jsonText(v, false)}
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(v))
	out = append(out, b.String())
	return append(out, urlParts(v)...)
}

// jsonText is v as it appears inside a JSON string.
func jsonText(v string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(v)
	s := strings.TrimSuffix(b.String(), "\n")
	return s[1 : len(s)-1]
}

// urlParts returns the parts of a URL a message may show on their own
// (a libvirt error names the socket or the user, not the whole URI): its
// user, password, host and query values.
func urlParts(v string) []string {
	if !strings.Contains(v, "://") {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil {
		return nil
	}
	out := []string{u.Host, u.Hostname()}
	if u.User != nil {
		pw, _ := u.User.Password()
		out = append(out, u.User.Username(), pw, u.User.String())
	}
	for _, vals := range u.Query() {
		out = append(out, vals...)
	}
	return out
}
