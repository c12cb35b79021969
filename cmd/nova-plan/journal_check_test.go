package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
	"github.com/novacron/novacron/state/local"
)

// journalRecords writes n change records over the state of the workspace
// dir through the local backend, as an apply journals its changes: record
// i records the i-th VM again as it is, so the state they make is the one
// in state.json at a higher serial. The records' serials follow state.json's
// or, when greater, after (so that two workspaces' records have the same
// serials). It returns the journal's path. key is a NOVA_STATE_KEY=…
// entry, or "".
func journalRecords(t *testing.T, dir string, n int, key string, after uint64) string {
	t.Helper()
	return journalRecordsIn(t, filepath.Join(dir, ".nova"), n, key, after)
}

// journalRecordsIn is journalRecords for the state folder folder.
func journalRecordsIn(t *testing.T, folder string, n int, key string, after uint64) string {
	t.Helper()
	var opts []local.Option
	if key != "" {
		sealer, err := encryption.FromEnv([]string{key})
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, local.WithSealer(sealer))
	}
	s := local.New(folder, opts...)
	st, err := s.Read(t.Context())
	if err != nil || st == nil {
		t.Fatalf("reading the state to journal over: %v", err)
	}
	st.Serial = max(st.Serial, after)
	addrs := st.Addresses()
	for i := range n {
		addr := addrs[i%len(addrs)]
		d := &state.Delta{Lineage: st.Lineage, Serial: st.Serial + 1, Set: map[string]*state.VM{addr: st.VMs[addr]}}
		if _, err := s.WriteDelta(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		d.Apply(st)
	}
	return filepath.Join(folder, local.JournalFile)
}

// stateSerial returns the serial of the workspace dir's state.json.
func stateSerial(t *testing.T, dir, key string) uint64 {
	t.Helper()
	env := []string{}
	if key != "" {
		env = append(env, key)
	}
	r := clitest.RunEnv(t, novaBin, dir, "", env, "state", "pull").Must(t, 0, "state pull")
	var doc struct{ Serial uint64 }
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Serial
}

// journalLine returns line n (1: the header) of the journal at path.
func journalLine(t *testing.T, path string, n int) []byte {
	t.Helper()
	lines := bytes.SplitAfter(readBytes(t, path), []byte("\n"))
	if n > len(lines) {
		t.Fatalf("the journal has %d lines, want at least %d", len(lines), n)
	}
	return lines[n-1]
}

// replaceJournalLine replaces line n of the journal at path with line.
func replaceJournalLine(t *testing.T, path string, n int, line []byte) {
	t.Helper()
	lines := bytes.SplitAfter(readBytes(t, path), []byte("\n"))
	lines[n-1] = line
	if err := os.WriteFile(path, bytes.Join(lines, nil), 0o600); err != nil {
		t.Fatal(err)
	}
}

// refusesDamagedLine runs the commands that read the state in dir (with
// env) and checks each refuses, naming line n of the journal as damaged
// once, reporting no repair, and leaving state.json and the journal as
// they were.
func refusesDamagedLine(t *testing.T, dir string, env []string, n int, why string) {
	t.Helper()
	jpath := filepath.Join(dir, ".nova", local.JournalFile)
	spath := filepath.Join(dir, ".nova", local.StateFile)
	journal, doc := readBytes(t, jpath), readBytes(t, spath)
	want := "is damaged at line " + string(rune('0'+n))
	for _, args := range [][]string{{"plan"}, {"state", "list"}, {"apply", "-auto-approve"}} {
		r := clitest.RunEnv(t, novaBin, dir, "", env, args...)
		out := r.Stdout + r.Stderr
		if r.Code != 1 || strings.Count(out, want) != 1 || !strings.Contains(out, why) {
			t.Errorf("%v with %s: exit %d, want 1 and the error %q once, saying %q:\n%s", args, why, r.Code, want, why, out)
		}
		if strings.Contains(out, "Repaired") {
			t.Errorf("%v reports a repair, but nothing was repaired:\n%s", args, out)
		}
	}
	if !bytes.Equal(readBytes(t, jpath), journal) || !bytes.Equal(readBytes(t, spath), doc) {
		t.Error("the state journal or state.json was changed")
	}
}

// A journal record damaged in the middle is one error naming its line:
// not also a warning that the state folder was repaired (nothing was).
func TestDamagedJournalRecordIsOneErrorNotARepair(t *testing.T) {
	dir := newDir(t, slowSpec(3, "0s"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	jpath := journalRecords(t, dir, 3, "", 0)
	line := journalLine(t, jpath, 3)
	replaceJournalLine(t, jpath, 3, bytes.Replace(line, []byte(`"serial":`), []byte(`"serial":,,`), 1))
	refusesDamagedLine(t, dir, nil, 3, "")
}

// A record changed into other valid JSON (a VM's cpu edited) fails its
// checksum: refused, naming the line, nothing written.
func TestJournalRecordEditedIsRefused(t *testing.T) {
	dir := newDir(t, slowSpec(3, "0s"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	jpath := journalRecords(t, dir, 3, "", 0)
	line := journalLine(t, jpath, 3)
	edited := bytes.Replace(line, []byte(`"cpu":1,`), []byte(`"cpu":2,`), 1)
	if bytes.Equal(edited, line) {
		t.Fatalf("no cpu to edit in %s", line)
	}
	replaceJournalLine(t, jpath, 3, edited)
	refusesDamagedLine(t, dir, nil, 3, "checksum")
}

// A record of another state (its lineage), whole and with a serial that
// fits, is refused, in plaintext and sealed with the same key.
func TestJournalRecordOfAnotherStateIsRefused(t *testing.T) {
	for _, key := range []string{"", keyA} {
		name := map[string]string{"": "plaintext", keyA: "encrypted"}[key]
		t.Run(name, func(t *testing.T) {
			var env []string
			if key != "" {
				env = []string{key}
			}
			a, b := newDir(t, slowSpec(3, "0s")), newDir(t, slowSpec(3, "0s"))
			for _, dir := range []string{a, b} {
				clitest.RunEnv(t, novaBin, dir, "", env, "apply", "-auto-approve").Must(t, 0, "apply")
			}
			top := max(stateSerial(t, a, key), stateSerial(t, b, key))
			ja, jb := journalRecords(t, a, 3, key, top), journalRecords(t, b, 3, key, top)
			replaceJournalLine(t, ja, 3, journalLine(t, jb, 3))
			refusesDamagedLine(t, a, env, 3, "lineage")
		})
	}
}

// An encrypted record whose ciphertext was altered is damage at its line
// (GCM's check fails), not a key problem.
func TestEncryptedJournalRecordAlteredIsRefused(t *testing.T) {
	env := []string{keyA}
	dir := newDir(t, slowSpec(3, "0s"))
	clitest.RunEnv(t, novaBin, dir, "", env, "apply", "-auto-approve").Must(t, 0, "apply")
	jpath := journalRecords(t, dir, 3, keyA, 0)
	line := journalLine(t, jpath, 3)
	i := bytes.Index(line, []byte(`"ciphertext":"`)) + len(`"ciphertext":"`) + 10
	altered := bytes.Clone(line)
	altered[i] = map[bool]byte{true: 'B', false: 'A'}[altered[i] == 'A']
	replaceJournalLine(t, jpath, 3, altered)
	refusesDamagedLine(t, dir, env, 3, "altered")
}

// A journal written before records carried a checksum (header version 1,
// records without lineage or crc32c) is still read, and the next apply
// compacts it away.
func TestJournalWithoutChecksumsIsRead(t *testing.T) {
	dir := newDir(t, slowSpec(3, "0s"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	spath := filepath.Join(dir, ".nova", local.StateFile)
	st, err := local.New(filepath.Join(dir, ".nova")).Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(readBytes(t, spath))
	old := []byte(`{"novacron_journal":1,"snapshot_sha256":"` + hex.EncodeToString(sum[:]) + `"}` + "\n")
	old = append(append(old, state.EncodeDelta(&state.Delta{Lineage: st.Lineage, Serial: st.Serial + 1,
		Removed: []string{"fleet.app[2]"}})...), '\n')
	jpath := filepath.Join(dir, ".nova", local.JournalFile)
	if err := os.WriteFile(jpath, old, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout); len(got) != 2 {
		t.Errorf("state list with the old journal: %v, want 2 VMs (fleet.app[2] removed by its record)", got)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply over the old journal")
	if _, err := os.Stat(jpath); !os.IsNotExist(err) {
		t.Errorf("the old journal is still there after an apply: %v", err)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the apply")
}
