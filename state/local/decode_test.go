package local_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

func TestReadCorrupt(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		line, col  int
		wantInText string
	}{
		{"empty", "", 1, 1, "the file is empty"},
		{"blank", "\n\n", 1, 1, "the file is empty"},
		{"truncated", "{\n  \"format_version\": 1,\n  \"lineage\": \"ab", 3, 16, "unexpected end of JSON input"},
		{"UTF-16", "\xff\xfe{\x00}\x00", 1, 1, "UTF-16 or UTF-32 byte-order mark: save it as UTF-8"},
		{"raw control byte", "{\"lineage\": \"a\x1bb\"}", 1, 15, "invalid character"},
		{"trailing garbage", "{\"format_version\": 1}\n}garbage\n", 2, 1, "after top-level value"},
		{"bad token", "{\n  \"format_version\": 1,\n  \"serial\": tru\n}", 3, 16, "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, local.StateFile)
			writeFile(t, path, tt.body)
			_, err := local.New(dir).Read(t.Context())
			var de *local.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Read = %v, want a *local.DecodeError", err)
			}
			if de.Path != path || de.Line != tt.line || de.Column != tt.col {
				t.Errorf("DecodeError at %s:%d:%d, want %s:%d:%d", de.Path, de.Line, de.Column, path, tt.line, tt.col)
			}
			wantErrText(t, err, path, fmt.Sprintf("line %d, column %d:", tt.line, tt.col), tt.wantInText, "left untouched", "backup")
			wantUnchanged(t, path, tt.body)
		})
	}
}

func TestReadRefused(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"newer format", `{"format_version": 99, "lineage": "x"}`,
			[]string{"format_version is 99", fmt.Sprintf("reads format_version %d", state.FormatVersion), "left untouched"}},
		{"no format", `{"lineage": "x"}`, []string{"no format_version", "left untouched"}},
		{"null document", `null`, []string{"the document is null, not an object, so it is not a NovaCron state document"}},
		{"wrong type", `{"format_version": "x"}`, []string{"format_version must be a whole number, but it is a string (line 1)"}},
		{"nested wrong type", "{\n  \"format_version\": 1, \"lineage\": \"x\",\n  \"vms\": {\"vm.a\": {\"cpu\": 1.5}}\n}",
			[]string{`vms["vm.a"].cpu must be a whole number, but it is 1.5 (line 3)`}},
		{"null vm", `{"format_version": 1, "lineage": "x", "vms": {"vm.a": null}}`, []string{`vms["vm.a"] is null`}},
		{"format 0", `{"format_version": 0, "lineage": "x"}`, []string{"format_version is 0, which is not a NovaCron state format"}},
		{"no lineage", `{"format_version": 1, "serial": 2, "vms": {}}`, []string{"lineage is missing", "remove it"}},
		{"same VM twice", `{"format_version": 1, "lineage": "x", "serial": 2, "vms": {
			"fleet.web[0]": {"provider": "sim.lab", "id": "vm-1", "fleet": "fleet.web"},
			"fleet.web[5]": {"provider": "sim.lab", "id": "vm-1", "fleet": "fleet.web"}}}`,
			[]string{`vms["fleet.web[0]"] and vms["fleet.web[5]"] both record VM vm-1 of provider sim.lab`, "Remove all but one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, local.StateFile)
			writeFile(t, path, tt.body)
			got, err := local.New(dir).Read(t.Context())
			if err == nil {
				t.Fatalf("Read = %+v, want an error", got)
			}
			wantErrText(t, err, append([]string{path}, tt.want...)...)
			wantUnchanged(t, path, tt.body)
		})
	}
}

func wantErrText(t *testing.T, err error, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func wantUnchanged(t *testing.T, path, body string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading back %s: %v", path, err)
	}
	if string(got) != body {
		t.Errorf("%s changed: now %q, was %q", path, got, body)
	}
}
