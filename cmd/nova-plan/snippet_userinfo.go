package main

// hideUserinfo hides the user name and password of every URL in a line of
// source a snippet quotes, the way driver.RedactURL does in messages: in a
// quoted string (or, outside one, from a "://" to the end of the line),
// what lies between "://" and the last '@' becomes one "…"; in a string
// without "://" that reads like USER:PASSWORD@HOST (which the drivers take
// for a URL), what lies before the last '@' does. The hidden characters
// become empty units, so a caret after them still lines up with the text.
func (l sourceLine) hideUserinfo() {
	for _, s := range urlSpans(l) {
		from, at := userinfo(l[s[0]:s[1]])
		if at > from {
			l[s[0]+from] = "…"
			for i := s[0] + from + 1; i < s[0]+at; i++ {
				l[i] = ""
			}
		}
	}
}

// userinfo returns where the user information of the URL in span starts
// and the index of the '@' that ends it; at is -1 when there is none.
func userinfo(span sourceLine) (from, at int) {
	at = -1
	for i, u := range span {
		if u == "@" {
			at = i
		}
	}
	if k := span.index("://"); k >= 0 {
		return k + 3, at
	}
	if at < 0 || span[:at].index(":") < 0 {
		return 0, -1
	}
	return 0, at
}

// urlSpans returns the [start, end) of the contents of each quoted string
// in the line (an unclosed one runs to its end; quotes inside ${…} and %{…}
// belong to the string around them), and of the rest of the line from a
// "://" outside any string.
func urlSpans(l sourceLine) [][2]int {
	var spans [][2]int
	open, depth := -1, 0
	for i := 0; i < len(l); i++ {
		switch {
		case open < 0 && l[i] == `"`:
			open = i + 1
		case open < 0 && l.has(i, "://"):
			return append(spans, [2]int{i, len(l)})
		case open >= 0 && (l[i] == "$" || l[i] == "%") && i+1 < len(l) && l[i+1] == "{":
			depth++
			i++
		case open >= 0 && depth > 0 && l[i] == "}":
			depth--
		case open >= 0 && depth == 0 && l[i] == `"` && !l.escaped(i):
			spans = append(spans, [2]int{open, i})
			open = -1
		}
	}
	if open >= 0 {
		spans = append(spans, [2]int{open, len(l)})
	}
	return spans
}

// escaped reports whether an odd number of backslashes precede unit i.
func (l sourceLine) escaped(i int) bool {
	n := 0
	for j := i - 1; j >= 0 && l[j] == `\`; j-- {
		n++
	}
	return n%2 == 1
}

// index returns the first unit at which the units spell s, or -1.
func (l sourceLine) index(s string) int {
	for i := range l {
		if l.has(i, s) {
			return i
		}
	}
	return -1
}

// has reports whether the units from i spell s, one ASCII character each.
func (l sourceLine) has(i int, s string) bool {
	if i+len(s) > len(l) {
		return false
	}
	for j := 0; j < len(s); j++ {
		if l[i+j] != s[j:j+1] {
			return false
		}
	}
	return true
}
