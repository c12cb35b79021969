package spec

import "strings"

// Sentence makes a message a diagnostic's sentence: a capital first letter
// (unless it starts with a reference such as var.token or fleet.web[0], a
// setting name such as ca_file, or a label such as "url:", which keep
// their spelling) and a closing period. It is the one such helper: the spec uses it for driver
// settings' errors, and the engine's faces for runtime errors.
func Sentence(s string) string {
	if s == "" {
		return s
	}
	first, _, _ := strings.Cut(s, " ")
	if c := s[0]; c >= 'a' && c <= 'z' && !strings.ContainsAny(first, ".[_") && !strings.HasSuffix(first, ":") {
		s = string(c-'a'+'A') + s[1:]
	}
	if last := s[len(s)-1]; last != '.' && last != '!' && last != '?' {
		s += "."
	}
	return s
}
