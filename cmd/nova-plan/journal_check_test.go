package main

import (
	"bytes"
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
// in state.json at a serial n higher. It returns the journal's path and the
// serial of state.json. key is a NOVA_STATE_KEY=… entry, or "".
func journalRecords(t *testing.T, dir string, n int, key string) (string, uint64) {
	t.Helper()
	var opts []local.Option
	if key != "" {
		sealer, err := encryption.FromEnv([]string{key})
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, local.WithSealer(sealer))
	}
	s := local.New(filepath.Join(dir, ".nova"), opts...)
	st, err := s.Read(t.Context())
	if err != nil || st == nil {
		t.Fatalf("reading the state to journal over: %v", err)
	}
	base := st.Serial
	addrs := st.Addresses()
	for i := range n {
		addr := addrs[i%len(addrs)]
		d := &state.Delta{Lineage: st.Lineage, Serial: st.Serial + 1, Set: map[string]*state.VM{addr: st.VMs[addr]}}
		if _, err := s.WriteDelta(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		d.Apply(st)
	}
	return filepath.Join(dir, ".nova", local.JournalFile), base
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
	jpath, _ := journalRecords(t, dir, 3, "")
	line := journalLine(t, jpath, 3)
	replaceJournalLine(t, jpath, 3, bytes.Replace(line, []byte(`"serial":`), []byte(`"serial":,,`), 1))
	refusesDamagedLine(t, dir, nil, 3, "")
}
