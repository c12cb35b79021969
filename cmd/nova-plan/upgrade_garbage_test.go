package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A persisted format's version is older (read, or refused with what to
// do), newer (refused: upgrade nova-plan) or garbage: a value no NovaCron
// ever wrote (0, -1, a string, 1e99, null, missing). Garbage is damage,
// and the message says so, naming the file and the field, never asking
// for an upgrade or blaming another file. The sim's pointer and snapshot
// are in upgrade_damaged_test.go, the newer versions of every format in
// TestNewerFormatsRefused.

// garbageVersions are the values of a version field no NovaCron wrote;
// "" stands for the field left out.
var garbageVersions = []string{"0", "-1", `"2"`, "1e99", "null", "2.5", "99999999999999999999", ""}

// versionCase is one garbage version of a format, the words its refusal
// must hold, and the words it must not.
type versionCase struct {
	value      string
	want, lack []string
}

// refusedUntouched runs cmds in dir, each refused with exit code 1, and
// checks the words of stderr and that nothing of .nova was written.
func refusedUntouched(t *testing.T, dir string, env []string, cmds [][]string, tc versionCase) {
	t.Helper()
	before := novaFiles(t, dir)
	for _, cmd := range cmds {
		r := novaEnv(t, dir, env, cmd...).Must(t, 1, strings.Join(cmd, " "))
		for _, want := range tc.want {
			if !strings.Contains(r.Stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], want, r.Stderr)
			}
		}
		for _, lack := range append(tc.lack, "panic") {
			if strings.Contains(strings.ToLower(r.Stderr), strings.ToLower(lack)) {
				t.Errorf("%s: stderr says %q:\n%s", cmd[0], lack, r.Stderr)
			}
		}
	}
	if diff := cmp.Diff(before, novaFiles(t, dir)); diff != "" {
		t.Errorf("a refused command wrote to .nova (-before +after):\n%s", diff)
	}
}

// setVersion replaces `"field":OLD` (the first) in data by the field set
// to value, or removes it (with its comma) for value "".
func setVersion(t *testing.T, data []byte, field, old, value string) []byte {
	t.Helper()
	from := `"` + field + `":` + old
	if !bytes.Contains(data, []byte(from)) {
		t.Fatalf("no %s in %.200s", from, data)
	}
	if value == "" {
		if bytes.Contains(data, []byte(from+",")) {
			return bytes.Replace(data, []byte(from+","), nil, 1)
		}
		return bytes.Replace(data, []byte(","+from), nil, 1)
	}
	return bytes.Replace(data, []byte(from), []byte(`"`+field+`":`+value), 1)
}

// shown is how a refusal names a garbage value: as written, or its absence.
func shown(field, value string) string {
	if value == "" {
		return "no " + field
	}
	return field + " is " + value
}

// TestGarbagePlanFormatVersion: a saved plan whose format_version is
// garbage is damaged or not a NovaCron plan, not an older one.
func TestGarbagePlanFormatVersion(t *testing.T) {
	cases := []versionCase{
		{"1", []string{"plan.bin has plan format version 1", "older nova-plan", "make the plan again"}, []string{"damaged"}},
		{"4", []string{"plan.bin has plan format version 4", "upgrade nova-plan"}, []string{"damaged"}},
	}
	for _, v := range garbageVersions {
		cases = append(cases, versionCase{v,
			[]string{"plan.bin is damaged or not a NovaCron plan", shown("format_version", v)},
			[]string{"older", "newer", "upgrade"}})
	}
	for _, tc := range cases {
		t.Run("format_version "+tc.value, func(t *testing.T) {
			dir := upgradeFixture(t, "64eb284-base")
			path := filepath.Join(dir, "plan.bin")
			rewritePlanBody(t, path, func(body []byte) []byte {
				return setVersion(t, body, "format_version", "2", tc.value)
			})
			refusedUntouched(t, dir, nil, [][]string{{"apply", "plan.bin"}, {"show", "plan.bin"}}, tc)
		})
	}
}

// rewritePlanBody changes the plan inside the saved plan at path and
// gives the file the checksum of its new body, as a nova-plan would.
func rewritePlanBody(t *testing.T, path string, change func([]byte) []byte) {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(readBytes(t, path), &env); err != nil {
		t.Fatal(err)
	}
	body := change(env["plan"])
	sum := sha256.Sum256(body)
	env["plan"], env["checksum"] = body, json.RawMessage(`"`+hex.EncodeToString(sum[:])+`"`)
	data, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	writeBytes(t, path, data)
}

// TestGarbageJournalHeader: a state journal whose header's
// novacron_journal is garbage is named as damaged, by its own path, not
// taken for a journal of a replaced state.json.
func TestGarbageJournalHeader(t *testing.T) {
	var cases []versionCase
	for _, v := range garbageVersions {
		cases = append(cases, versionCase{v,
			[]string{"The state journal .nova/state.journal is damaged", shown("novacron_journal", v)},
			[]string{"upgrade", "was replaced"}})
	}
	cases = append(cases, versionCase{"[not a header]",
		[]string{"The state journal .nova/state.journal is damaged", "first line is not a journal header"},
		[]string{"upgrade", "was replaced"}})
	for _, tc := range cases {
		t.Run("novacron_journal "+tc.value, func(t *testing.T) {
			dir := upgradeFixture(t, "64eb284-journal")
			path := filepath.Join(dir, ".nova", "state.journal")
			data := readBytes(t, path)
			if tc.value == "[not a header]" {
				_, rest, _ := bytes.Cut(data, []byte("\n"))
				data = append([]byte("{\"hello\n"), rest...)
			} else {
				data = setVersion(t, data, "novacron_journal", "2", tc.value)
			}
			writeBytes(t, path, data)
			refusedUntouched(t, dir, nil, [][]string{{"plan"}, {"apply", "-auto-approve"}, {"state", "pull"}}, tc)
		})
	}
}

// TestGarbageSealedEnvelopeVersion: a sealed state.json or journal record
// whose novacron_sealed_state is garbage is damaged, naming the field.
func TestGarbageSealedEnvelopeVersion(t *testing.T) {
	for _, file := range []string{"state.json", "state.journal"} {
		for _, v := range garbageVersions {
			tc := versionCase{v,
				[]string{".nova/" + file, "damaged", shown("novacron_sealed_state", v)},
				[]string{"upgrade", "newer"}}
			t.Run(file+" novacron_sealed_state "+v, func(t *testing.T) {
				dir := upgradeFixture(t, "64eb284-sealed")
				path := filepath.Join(dir, ".nova", file)
				writeBytes(t, path, setVersion(t, readBytes(t, path), "novacron_sealed_state", "1", v))
				refusedUntouched(t, dir, []string{fixtureKey}, [][]string{{"plan"}, {"apply", "-auto-approve"}}, tc)
			})
		}
	}
}

// TestGarbageStateFormatVersion: state.json's format_version garbage is
// refused as damaged, naming the field, never as newer.
func TestGarbageStateFormatVersion(t *testing.T) {
	for _, v := range garbageVersions {
		tc := versionCase{v, []string{".nova/state.json", "format_version"}, []string{"upgrade", "newer", "leave the field out"}}
		t.Run("format_version "+v, func(t *testing.T) {
			dir := upgradeFixture(t, "64eb284-base")
			path := filepath.Join(dir, ".nova", "state.json")
			data := bytes.Replace(readBytes(t, path), []byte(`"format_version": 1`), []byte(`"format_version":1`), 1)
			writeBytes(t, path, setVersion(t, data, "format_version", "1", v))
			refusedUntouched(t, dir, nil, [][]string{{"plan"}, {"apply", "-auto-approve"}, {"state", "pull"}}, tc)
		})
	}
}
