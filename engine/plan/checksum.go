package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
)

// Checksum is the SHA-256 of the plan's JSON encoding, in hex: the checksum
// of its saved plan file, and the digest the audit log and the server keep.
// It is hashed a change at a time, so the plan is never encoded whole.
func (p *Plan) Checksum() string {
	h := sha256.New()
	if err := p.writeJSON(h); err != nil {
		b, _ := json.Marshal(p) // cannot happen: writeJSON fails only where Marshal does
		h.Reset()
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeJSON writes what json.Marshal(p) returns, byte for byte: the plan
// without its changes, split where its empty list of changes stands, with
// each change encoded on its own in between (as json.Marshal encodes an
// element of a list).
func (p *Plan) writeJSON(w io.Writer) error {
	head := *p
	if head.Changes != nil {
		head.Changes = []*Change{}
	}
	skel, err := json.Marshal(&head)
	if err != nil {
		return err
	}
	if p.Changes == nil {
		_, err := w.Write(skel)
		return err
	}
	at, err := changesAt(skel)
	if err != nil {
		return err
	}
	w.Write(skel[:at+1]) // up to and with the '['
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i, c := range p.Changes {
		buf.Reset()
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(c); err != nil {
			return err
		}
		w.Write(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})) // Encode ends each value with a newline
	}
	_, err = w.Write(skel[at+1:])
	return err
}

// changesAt finds the '[' of the top-level "changes" member's empty list
// in the encoding of a plan.
func changesAt(skel []byte) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(skel))
	if _, err := dec.Token(); err != nil { // {
		return 0, err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return 0, err
		}
		if key == "changes" {
			at := int(dec.InputOffset()) + 1 // past the ':'
			if !bytes.HasPrefix(skel[at-1:], []byte(":[]")) {
				return 0, fmt.Errorf("the changes of a plan encode as %.10q", skel[at-1:])
			}
			return at, nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("a plan encodes without its changes")
}
