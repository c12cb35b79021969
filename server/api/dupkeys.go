package api

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// duplicateKey refuses a JSON body in which an object names a key twice:
// encoding/json keeps the last, so {"destroy":false,"destroy":true} would
// plan a destroy whatever a proxy or reviewer that reads the first saw.
// body has already decoded: it is valid JSON of at most the body limit.
// Keys are compared as written (a map's keys are case-sensitive).
func duplicateKey(body []byte) error {
	type object struct {
		keys    map[string]bool
		wantKey bool
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
			stack = append(stack, &object{keys: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, nil)
		}
	}
}
