package local_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// journalLines returns the journal's lines without their line ends.
func journalLines(t *testing.T, dir string) [][]byte {
	t.Helper()
	data := readFile(t, filepath.Join(dir, local.JournalFile))
	return bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
}

func writeJournal(t *testing.T, dir string, lines [][]byte) {
	t.Helper()
	data := append(bytes.Join(lines, []byte("\n")), '\n')
	if err := os.WriteFile(filepath.Join(dir, local.JournalFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A journal this build starts is of version 2: each record names its
// state's lineage first and ends with the CRC-32C of the bytes before
// `,"crc32c":`, which anyone can check.
func TestJournalRecordCarriesLineageAndChecksum(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir)
	st := writeBase(t, s, 3)
	if _, err := s.WriteDelta(t.Context(), change(st, 0)); err != nil {
		t.Fatal(err)
	}
	lines := journalLines(t, dir)
	if !bytes.HasPrefix(lines[0], []byte(`{"novacron_journal":2,`)) {
		t.Errorf("header %s, want version 2", lines[0])
	}
	rec := lines[1]
	if !bytes.HasPrefix(rec, []byte(`{"serial":2,"set":{`)) {
		t.Errorf("record %s: want it to begin with the serial", rec)
	}
	i := bytes.LastIndex(rec, []byte(`,"crc32c":"`))
	if i < 0 || !bytes.HasSuffix(rec, []byte(`"}`)) {
		t.Fatalf("record %s: want it to end with its crc32c", rec)
	}
	if !bytes.HasSuffix(rec[:i], []byte(`],"lineage":"`+st.Lineage+`"`)) {
		t.Errorf("record %s: want the lineage of its state before the crc32c", rec)
	}
	sum := crc32.Checksum(rec[:i], crc32.MakeTable(crc32.Castagnoli))
	if got, want := string(rec[i+len(`,"crc32c":"`):len(rec)-2]), hex.EncodeToString([]byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)}); got != want {
		t.Errorf("crc32c %s, want %s (of the bytes before it)", got, want)
	}
}

// In a version 2 journal a record that fails its checksum, has none, or
// is of another lineage is damage at its line: Read and WriteDelta
// refuse, nothing is written.
func TestJournalRecordChecked(t *testing.T) {
	for _, tc := range []struct {
		name, why string
		spoil     func(rec []byte) []byte
	}{
		{"edited", "checksum does not match", func(rec []byte) []byte {
			return bytes.Replace(rec, []byte(`"cpu":1,`), []byte(`"cpu":2,`), 1)
		}},
		{"no checksum", "no checksum", func(rec []byte) []byte {
			i := bytes.LastIndex(rec, []byte(`,"crc32c":"`))
			return append(bytes.Clone(rec[:i]), '}')
		}},
		{"checksum not hex", "no checksum", func(rec []byte) []byte {
			return append(bytes.Clone(rec[:len(rec)-4]), `zz"}`...)
		}},
		{"no lineage", "lineage", func(rec []byte) []byte {
			return resum(t, bytes.Replace(rec, []byte(`,"lineage":"`+lineageOf(rec)+`"`), nil, 1))
		}},
		{"other lineage", "another state", func(rec []byte) []byte {
			return resum(t, bytes.Replace(rec, []byte(lineageOf(rec)), []byte("other"), 1))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := local.New(dir)
			st := writeBase(t, s, 3)
			for i := range 2 {
				d := change(st, i)
				if _, err := s.WriteDelta(t.Context(), d); err != nil {
					t.Fatal(err)
				}
				d.Apply(st)
			}
			lines := journalLines(t, dir)
			lines[1] = tc.spoil(lines[1])
			writeJournal(t, dir, lines)
			before := readFile(t, filepath.Join(dir, local.JournalFile))
			_, err := local.New(dir).Read(t.Context())
			if err == nil || !strings.Contains(err.Error(), "damaged at line 2") || !strings.Contains(err.Error(), tc.why) {
				t.Errorf("Read: %v; want damage at line 2 saying %q", err, tc.why)
			}
			if _, err := local.New(dir).WriteDelta(t.Context(), change(st, 9)); err == nil {
				t.Error("WriteDelta over the damaged journal succeeded")
			}
			if !bytes.Equal(readFile(t, filepath.Join(dir, local.JournalFile)), before) {
				t.Error("the journal was changed")
			}
		})
	}
}

// lineageOf returns the lineage a record names.
func lineageOf(rec []byte) string {
	_, rest, _ := bytes.Cut(rec, []byte(`,"lineage":"`))
	l, _, _ := bytes.Cut(rest, []byte(`"`))
	return string(l)
}

// resum gives an edited record a checksum of its new bytes.
func resum(t *testing.T, rec []byte) []byte {
	t.Helper()
	i := bytes.LastIndex(rec, []byte(`,"crc32c":"`))
	body := rec[:i]
	sum := crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli))
	return append(append(bytes.Clone(body), `,"crc32c":"`...), hex.EncodeToString([]byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})+`"}`...)
}

// A journal of version 1 (written before records carried a lineage and a
// checksum) is read; a record this build appends to it is checked, the
// old ones are not.
func TestJournalVersion1IsRead(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir)
	st := writeBase(t, s, 3)
	sum := sha256.Sum256(readFile(t, filepath.Join(dir, local.StateFile)))
	lines := [][]byte{[]byte(`{"novacron_journal":1,"snapshot_sha256":"` + hex.EncodeToString(sum[:]) + `"}`)}
	for i := range 2 {
		d := change(st, i)
		lines = append(lines, state.EncodeDelta(d))
		d.Apply(st)
	}
	writeJournal(t, dir, lines)
	fresh := local.New(dir)
	if diff := cmp.Diff(st, mustRead(t, fresh)); diff != "" {
		t.Fatalf("Read of a version 1 journal (-want +got):\n%s", diff)
	}
	d := change(st, 2)
	if _, err := fresh.WriteDelta(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	d.Apply(st)
	if diff := cmp.Diff(st, mustRead(t, local.New(dir))); diff != "" {
		t.Errorf("Read of a version 1 journal with a record of this build (-want +got):\n%s", diff)
	}
	lines = journalLines(t, dir)
	lines[3] = bytes.Replace(lines[3], []byte(`"cpu":1,`), []byte(`"cpu":2,`), 1)
	writeJournal(t, dir, lines)
	if _, err := local.New(dir).Read(t.Context()); err == nil || !strings.Contains(err.Error(), "damaged at line 4") {
		t.Errorf("Read with the appended record edited: %v; want damage at line 4", err)
	}
}
