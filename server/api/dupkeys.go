package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

// duplicateKey refuses a JSON body in which an object names a key twice:
// encoding/json keeps the last, so {"destroy":false,"destroy":true} would
// plan a destroy whatever a proxy or reviewer that reads the first saw.
// body has already decoded: it is valid JSON of at most the body limit.
// Keys of the body's own object are request fields, which encoding/json
// matches ignoring case ({"destroy":false,"Destroy":true} is the same
// field twice), so they are compared case-folded; keys of nested objects
// (vars, files, tags: maps) as written.
func duplicateKey(body []byte) error {
	type object struct {
		keys    map[string]bool
		wantKey bool
		fold    bool
	}
	var stack []*object // nil entries are arrays
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // io.EOF; anything else Decode has reported
		}
		var top *object
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return nil
			}
			continue
		}
		if top != nil && top.wantKey {
			key, _ := tok.(string)
			if top.fold {
				key = foldKey(key)
			}
			if top.keys[key] {
				return fmt.Errorf("the request body names the field %q twice", key)
			}
			top.keys[key], top.wantKey = true, false
			continue
		}
		if top != nil {
			top.wantKey = true // the value of a key: the next token is a key
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &object{keys: map[string]bool{}, wantKey: true, fold: len(stack) == 0})
		case json.Delim('['):
			stack = append(stack, nil)
		}
	}
}

// foldKey is s with each rune replaced by the least rune of its simple
// case-folding orbit, so two names encoding/json takes for one field fold
// to the same key.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, s)
}
