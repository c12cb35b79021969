package local_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// A state file many windows long (Read decodes it as it reads it) reads
// back as written; torn or spoiled past its first window, it is refused
// with the diagnostics of the whole text, and left as it was.
func TestReadLargeFile(t *testing.T) {
	dir := t.TempDir()
	want := bigState(6000)
	want.Serial = 4
	if err := local.New(dir).Write(t.Context(), want); err != nil {
		t.Fatalf("Write: %v", err)
	}
	path := filepath.Join(dir, local.StateFile)
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(text) < 4*256<<10 {
		t.Fatalf("the document is %d bytes: too small to span several windows", len(text))
	}
	got, err := local.New(dir).Read(t.Context())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-written +read):\n%s", diff)
	}

	last := strings.LastIndex(string(text), `"cpu":`)
	tests := []struct {
		name, body string
		wantErr    func(t *testing.T, err error, path string)
	}{
		{"torn", string(text[:len(text)*3/4]), func(t *testing.T, err error, path string) {
			var de *local.DecodeError
			if !errors.As(err, &de) || de.Line < 2 {
				t.Errorf("Read = %v, want a *local.DecodeError past line 1", err)
			}
		}},
		{"an unknown field near the end", string(text[:last]) + `"extra": 1, ` + string(text[last:]), func(t *testing.T, err error, path string) {
			var invalid *state.InvalidError
			if !errors.As(err, &invalid) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), ".extra is not a field") {
				t.Errorf("Read = %v, want a *state.InvalidError naming %s and the field", err, path)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, local.StateFile)
			writeFile(t, path, tt.body)
			_, err := local.New(dir).Read(t.Context())
			_, wantErr := state.Decode([]byte(tt.body))
			if err == nil || wantErr == nil {
				t.Fatalf("Read = %v, Decode = %v: want both to refuse it", err, wantErr)
			}
			tt.wantErr(t, err, path)
			wantUnchanged(t, path, tt.body)
		})
	}
}
