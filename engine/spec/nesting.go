package spec

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// tooDeep returns the byte offset at which src first nests deeper than
// limit, or -1. It follows the shapes in which hcl's parser recurses:
//
//   - brackets, braces (blocks and objects), parentheses, strings, heredocs
//     and template interpolations: one level each until closed;
//   - template directives (%{ if } … %{ endif }, %{ for } … %{ endfor }):
//     one level each until their end directive;
//   - operators and postfix indexes chained in one expression (a + b + c,
//     !!x, a ? b : c ? d : e, x[0][0]): hcl builds them into a tree one
//     level deeper per link, so each is one level until the expression ends
//     at a comma, an `=`, a `=>` or, in a body or an object, a newline.
//
// It reads strings, heredocs, escapes and comments the way hcl's scanner
// does (hclsyntax/scan_tokens.rl), so that brackets in a string or a
// comment do not count, and it stops at the first level too many: it is
// linear, allocates only its stack, and never recurses.
func tooDeep(src []byte, expr bool, limit int) int {
	over, _ := scanNesting(src, expr, limit)
	return over
}

// scanNesting returns where src first nests deeper than limit (-1 if it
// does not) and the deepest it nests up to there.
func scanNesting(src []byte, expr bool, limit int) (over, deepest int) {
	s := &nestingScan{src: bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")), limit: limit, over: -1}
	s.offset = len(src) - len(s.src)
	root := kindBody
	if expr {
		root = kindExpr // a -var value: newlines do not end it
	}
	s.frames = []frame{{kind: root}}
	for s.i < len(s.src) && s.over < 0 {
		s.start = s.i
		switch s.top().kind {
		case kindQuote:
			s.quoted()
		case kindHeredoc:
			s.heredoc()
		default:
			s.code()
		}
	}
	if s.over < 0 {
		return -1, s.deepest
	}
	return s.over + s.offset, s.deepest
}

type frameKind byte

const (
	kindBody    frameKind = iota // a file's top level
	kindExpr                     // a -var value's top level
	kindBrace                    // { } of a block or an object
	kindBrack                    // [ ]
	kindParen                    // ( )
	kindQuote                    // " "
	kindHeredoc                  // <<EOF … EOF
	kindInterp                   // ${ }
	kindControl                  // %{ }
)

// frame is one open level.
type frame struct {
	kind frameKind
	// chain counts the links of the expression being read in the frame.
	chain int
	// directives counts the open %{ if } and %{ for } of a template.
	directives int
	// keyword is the first word of a %{ … } sequence.
	keyword string
	// marker and lineStart belong to a heredoc.
	marker    []byte
	lineStart bool
}

type nestingScan struct {
	src        []byte
	i, offset  int
	start      int // where the token being read starts
	limit      int
	frames     []frame
	extra      int  // the sum of every frame's chain and directives
	afterValue bool // the last token ends an operand, so `[` indexes it
	over       int  // the offset of the first level too many; -1 until then
	deepest    int
}

func (s *nestingScan) top() *frame { return &s.frames[len(s.frames)-1] }

func (s *nestingScan) check() {
	depth := len(s.frames) - 1 + s.extra
	s.deepest = max(s.deepest, depth)
	if s.over < 0 && depth > s.limit {
		s.over = s.start
	}
}

func (s *nestingScan) push(f frame) { s.frames = append(s.frames, f); s.check() }

func (s *nestingScan) link() { s.top().chain++; s.extra++; s.check() }

func (s *nestingScan) endExpression() { s.extra -= s.top().chain; s.top().chain = 0 }

func (s *nestingScan) pop() frame {
	f := *s.top()
	s.extra -= f.chain + f.directives
	s.frames = s.frames[:len(s.frames)-1]
	return f
}

// closeTo pops the frames down to and including the nearest of kind k,
// crossing only frames of the kinds in through; a closer without its
// opener is left to the parser to report.
func (s *nestingScan) closeTo(k frameKind, through ...frameKind) (frame, bool) {
	for j := len(s.frames) - 1; j > 0; j-- {
		switch kind := s.frames[j].kind; {
		case kind == k:
			for len(s.frames) > j+1 {
				s.pop()
			}
			return s.pop(), true
		case !containsKind(through, kind):
			return frame{}, false
		}
	}
	return frame{}, false
}

func containsKind(ks []frameKind, k frameKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func (s *nestingScan) peek(n int) byte {
	if s.i+n < len(s.src) {
		return s.src[s.i+n]
	}
	return 0
}

// quoted reads one step of a "…" template.
func (s *nestingScan) quoted() {
	switch c := s.src[s.i]; c {
	case '"':
		s.i++
		s.pop()
		s.afterValue = true
	case '\\':
		s.i++
		if n := s.peek(0); n != '\n' && n != '\r' && n != 0 {
			s.i++
		}
	default:
		s.templateChar(c)
	}
}

// templateChar reads a character of a quoted or heredoc template: the
// start of a ${ } or %{ } sequence, its $${ and %%{ escapes, or text.
func (s *nestingScan) templateChar(c byte) {
	if c != '$' && c != '%' {
		s.i++
		return
	}
	switch {
	case s.peek(1) == '{':
		s.i += 2
		kind := kindInterp
		if c == '%' {
			kind = kindControl
		}
		s.top().lineStart = false
		s.push(frame{kind: kind})
		s.afterValue = false
	case s.peek(1) == c && s.peek(2) == '{':
		s.i += 3 // an escape: $${ or %%{ is text
	default:
		s.i++
	}
}

// heredoc reads one step of a heredoc: at the start of a line, its end
// marker (a line of only the marker and spaces, as hcl's scanner has it).
func (s *nestingScan) heredoc() {
	f := s.top()
	if f.lineStart {
		f.lineStart = false
		end := bytes.IndexByte(s.src[s.i:], '\n')
		if end >= 0 && bytes.Equal(bytes.TrimSpace(s.src[s.i:s.i+end]), f.marker) {
			s.i += end // the newline is read as code's
			s.pop()
			s.afterValue = true
			return
		}
	}
	c := s.src[s.i]
	if c == '\n' {
		s.i++
		f.lineStart = true
		return
	}
	s.templateChar(c)
}

// code reads one token of an expression or a body.
func (s *nestingScan) code() {
	c := s.src[s.i]
	switch {
	case c == ' ' || c == '\t' || c == '\r':
		s.i++
		return
	case c == '#' || (c == '/' && s.peek(1) == '/'):
		s.skipLine()
		return
	case c == '/' && s.peek(1) == '*':
		s.skipBlockComment()
		return
	case c == '\n':
		s.i++
		if k := s.top().kind; k == kindBody || k == kindBrace {
			s.endExpression()
		}
	case c >= '0' && c <= '9':
		s.number()
		s.afterValue = true
		return
	case c == '_' || c >= utf8.RuneSelf || unicode.IsLetter(rune(c)):
		if s.ident() {
			s.afterValue = true
			return
		}
		s.i++
	default:
		s.punct(c)
		return
	}
	s.afterValue = false
}

// punct reads a token made of punctuation.
func (s *nestingScan) punct(c byte) {
	after := false
	switch c {
	case '"':
		s.i++
		s.push(frame{kind: kindQuote})
	case '<':
		if s.heredocStart() {
			break
		}
		s.operator(s.peek(1) == '=')
	case '{':
		s.i++
		s.push(frame{kind: kindBrace})
	case '[':
		s.i++
		if s.afterValue {
			s.link() // x[0][0]…: an index chain
		}
		s.push(frame{kind: kindBrack})
	case '(':
		s.i++
		s.push(frame{kind: kindParen})
	case ')', ']':
		s.i++
		k := map[byte]frameKind{')': kindParen, ']': kindBrack}[c]
		s.closeTo(k, kindParen, kindBrack)
		after = true
	case '}':
		s.i++
		s.closeBrace()
		after = true
	case '~':
		s.i++
		if s.peek(0) == '}' {
			s.i++
			s.closeBrace()
			after = true
		}
	case ',':
		s.i++
		s.endExpression()
	case '=':
		if n := s.peek(1); n == '=' {
			s.operator(true)
		} else {
			s.i += 1 + oneIf(n == '>')
			s.endExpression()
		}
	case '!', '>':
		s.operator(s.peek(1) == '=')
	case '&', '|':
		if s.peek(1) == c {
			s.operator(true)
		} else {
			s.i++
		}
	case '+', '-', '/', '%', '?':
		s.operator(false)
	case '*':
		s.operator(false)
		after = true // x.*[0]
	default:
		s.i++
	}
	s.afterValue = after
}

func (s *nestingScan) operator(twoChars bool) {
	s.i += 1 + oneIf(twoChars)
	s.link()
}

func oneIf(b bool) int {
	if b {
		return 1
	}
	return 0
}

// closeBrace reads `}`: the end of a ${ } or %{ } sequence when every
// brace opened in it is closed, else the end of a block or an object.
// Unclosed brackets and parentheses do not hold the sequence open: hcl's
// scanner counts only braces.
func (s *nestingScan) closeBrace() {
	for j := len(s.frames) - 1; j > 0; j-- {
		switch s.frames[j].kind {
		case kindBrace:
			s.closeTo(kindBrace, kindParen, kindBrack)
			return
		case kindInterp, kindControl:
			s.endSequence(s.frames[j].kind)
			return
		case kindParen, kindBrack:
			continue
		}
		return
	}
}

// endSequence closes a ${ } or %{ }, and opens or closes the level of a
// directive in the template around it.
func (s *nestingScan) endSequence(k frameKind) {
	f, _ := s.closeTo(k, kindParen, kindBrack)
	t := s.top()
	switch f.keyword {
	case "if", "for":
		t.directives++
		s.extra++
		s.check()
	case "endif", "endfor":
		if t.directives > 0 {
			t.directives--
			s.extra--
		}
	}
}

// heredocStart reads `<<EOF` or `<<-EOF` and its newline, and opens the
// heredoc; it reports false, reading nothing, for anything else.
func (s *nestingScan) heredocStart() bool {
	if s.peek(1) != '<' {
		return false
	}
	j := s.i + 2
	if j < len(s.src) && s.src[j] == '-' {
		j++
	}
	start := j
	for j < len(s.src) && isIdentByte(s.src, j, j == start) {
		_, size := utf8.DecodeRune(s.src[j:])
		j += size
	}
	marker := s.src[start:j]
	if j < len(s.src) && s.src[j] == '\r' {
		j++
	}
	if len(marker) == 0 || j >= len(s.src) || s.src[j] != '\n' {
		return false
	}
	s.i = j + 1
	s.push(frame{kind: kindHeredoc, marker: marker, lineStart: true})
	return true
}

// ident reads an identifier (letters, digits, underscores and dashes, as
// in hcl); it reports false for a character that starts none.
func (s *nestingScan) ident() bool {
	if !isIdentByte(s.src, s.i, true) {
		return false
	}
	start, first := s.i, true
	for s.i < len(s.src) && isIdentByte(s.src, s.i, first) {
		_, size := utf8.DecodeRune(s.src[s.i:])
		s.i += size
		first = false
	}
	if f := s.top(); f.kind == kindControl && f.keyword == "" {
		f.keyword = string(s.src[start:s.i])
	}
	return true
}

func isIdentByte(src []byte, i int, first bool) bool {
	r, _ := utf8.DecodeRune(src[i:])
	switch {
	case r == '_' || unicode.IsLetter(r):
		return true
	case first:
		return false
	}
	return r == '-' || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc)
}

// number reads a number literal: digits, dots and exponents.
func (s *nestingScan) number() {
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c >= '0' && c <= '9' || c == '.':
			s.i++
		case (c == 'e' || c == 'E') && s.expDigits():
		default:
			return
		}
	}
}

// expDigits reads the e, E, e+ or e- of an exponent followed by a digit.
func (s *nestingScan) expDigits() bool {
	n := 1
	if p := s.peek(1); p == '+' || p == '-' {
		n = 2
	}
	if d := s.peek(n); d < '0' || d > '9' {
		return false
	}
	s.i += n
	return true
}

func (s *nestingScan) skipLine() {
	if end := bytes.IndexByte(s.src[s.i:], '\n'); end >= 0 {
		s.i += end // the newline ends the line as code
		return
	}
	s.i = len(s.src)
}

func (s *nestingScan) skipBlockComment() {
	if end := bytes.Index(s.src[s.i+2:], []byte("*/")); end >= 0 {
		s.i += end + 4
		return
	}
	s.i = len(s.src)
}
