package local

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/novacron/novacron/state"
)

// journalVersion is the version of the journals this build starts: 2,
// whose every record names its state's lineage and ends with a checksum.
// Version 1 journals (records without them, written by earlier builds) are
// still read, and a record with a checksum in them is checked.
const journalVersion = 2

// A record of a version 2 journal, before it is sealed, is the line
// state.EncodeDeltaRecord writes (state.EncodeDelta's with the lineage of
// its state added last) with a CRC-32C (Castagnoli) of every byte before `,"crc32c":`:
//
//	{"serial":9,"set":{…},"removed":[…],"lineage":"…","crc32c":"1a2b3c4d"}
const (
	lineageKey = `,"lineage":`
	crcKey     = `,"crc32c":"`
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crcSuffixLen is the length of `,"crc32c":"XXXXXXXX"}`.
const crcSuffixLen = len(crcKey) + 8 + 2

// encodeRecord returns d as a record of a version 2 journal, without its
// line end, in the buffer state.EncodeDeltaRecord filled (with room for
// the checksum and the line end).
func encodeRecord(d *state.Delta) []byte {
	b := state.EncodeDeltaRecord(d, crcSuffixLen+1)
	b = b[:len(b)-1] // the checksum goes before its '}'
	sum := crc32.Checksum(b, castagnoli)
	b = append(b, crcKey...)
	b = hex.AppendEncode(b, []byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
	return append(b, `"}`...)
}

// decodeRecordLine checks and decodes plain, a journal record's plaintext,
// as a change of the state of lineage: its checksum, when it has one, must
// match its bytes, and its lineage, when it names one, must be lineage.
// strict (a version 2 journal) requires both.
func decodeRecordLine(plain []byte, lineage string, strict bool) (*state.Delta, error) {
	n, sum, ok := cutChecksum(plain)
	if !ok {
		if strict {
			return nil, errors.New(`it has no checksum ("crc32c" last), which every record of this journal carries`)
		}
		return state.DecodeDelta(plain, lineage)
	}
	if got := crc32.Checksum(plain[:n], castagnoli); got != sum {
		return nil, fmt.Errorf("its checksum does not match its bytes (crc32c %08x, the record gives %08x): "+
			"the record was changed after it was written", sum, got)
	}
	// The record without its checksum is plain[:n] and a '}', put over the
	// checksum's ',' while it is decoded.
	saved := plain[n]
	plain[n] = '}'
	d, err := state.DecodeDelta(plain[:n+1], lineage)
	plain[n] = saved
	if err == nil && strict {
		named, _ := json.Marshal(lineage)
		if !bytes.HasSuffix(plain[:n], append([]byte(lineageKey), named...)) {
			err = errors.New(`it does not name the lineage of its state ("lineage" before "crc32c"), as every record of this journal does`)
		}
	}
	return d, err
}

// cutChecksum finds the checksum of a record ending with
// `,"crc32c":"XXXXXXXX"}`: the record's bytes before it are plain[:n].
func cutChecksum(plain []byte) (n int, sum uint32, ok bool) {
	n = len(plain) - crcSuffixLen
	if n < 1 || !bytes.HasPrefix(plain[n:], []byte(crcKey)) || !bytes.HasSuffix(plain, []byte(`"}`)) {
		return 0, 0, false
	}
	var raw [4]byte
	if _, err := hex.Decode(raw[:], plain[n+len(crcKey):len(plain)-2]); err != nil {
		return 0, 0, false
	}
	return n, uint32(raw[0])<<24 | uint32(raw[1])<<16 | uint32(raw[2])<<8 | uint32(raw[3]), true
}
