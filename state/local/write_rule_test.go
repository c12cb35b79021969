package local_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

func docAt(lineage string, serial uint64) *state.State {
	st := state.New(lineage)
	st.Serial = serial
	return st
}

// Two processes over one folder: the one that read before the other wrote
// is refused.
func TestWriteRefusesWhatAnotherStoreWrote(t *testing.T) {
	dir := t.TempDir()
	a, b := local.New(dir), local.New(dir)
	if err := a.Write(t.Context(), docAt("lin", 1)); err != nil {
		t.Fatal(err)
	}
	if err := b.Write(t.Context(), docAt("lin", 2)); err != nil {
		t.Fatal(err)
	}
	err := a.Write(t.Context(), docAt("lin", 2))
	var conflict *state.ConflictError
	if !errors.As(err, &conflict) || conflict.StoredSerial != 2 {
		t.Fatalf("stale Write = %v, want a *state.ConflictError naming stored serial 2", err)
	}
	wantErrText(t, err, "serial 2", "written since")
	wantNoTempFiles(t, dir)
}

// Writers racing through separate Stores over one folder (the flock of the
// folder, not a mutex, is what orders them): each serial is written once.
func TestWriteRaceOneWinnerPerSerial(t *testing.T) {
	const writers, serials = 4, 25
	dir := t.TempDir()
	var mu sync.Mutex
	wins := map[uint64]int{}
	var wg sync.WaitGroup
	for range writers {
		s := local.New(dir)
		wg.Go(func() {
			for serial := uint64(1); serial <= serials; serial++ {
				err := s.Write(t.Context(), docAt("lin", serial))
				var conflict *state.ConflictError
				switch {
				case err == nil:
					mu.Lock()
					wins[serial]++
					mu.Unlock()
				case !errors.As(err, &conflict):
					t.Errorf("Write serial %d: %v", serial, err)
				}
			}
		})
	}
	wg.Wait()
	for serial, n := range wins {
		if n > 1 {
			t.Errorf("serial %d was written %d times", serial, n)
		}
	}
	if wins[serials] != 1 {
		t.Errorf("the last serial was written %d times, want once", wins[serials])
	}
	wantNoTempFiles(t, dir)
}

// A state file not in the shape state.Encode writes (edited by hand) is
// decoded whole, and the rule holds the same.
func TestWriteChecksFilesOfAnyShape(t *testing.T) {
	long := strings.Repeat("l", 5000) // past the head Write reads
	tests := []struct {
		name, body, lineage string
		serial              uint64 // of the stored document
	}{
		{"keys reordered", `{"serial": 5, "vms": {}, "lineage": "lin", "format_version": 1}`, "lin", 5},
		{"one line", `{"format_version":1,"lineage":"lin","serial":5,"vms":{}}`, "lin", 5},
		{"byte-order mark", "\ufeff{\"format_version\": 1, \"lineage\": \"lin\", \"serial\": 5}", "lin", 5},
		{"escaped lineage", `{"format_version": 1, "lineage": "l\u0069n", "serial": 5}`, "lin", 5},
		{"no serial", `{"format_version": 1, "lineage": "lin"}`, "lin", 0},
		{"lineage past the head", `{"format_version": 1, "lineage": "` + long + `", "serial": 5}`, long, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, local.StateFile)
			writeFile(t, path, tt.body)
			s := local.New(dir)
			for _, st := range []*state.State{docAt(tt.lineage, tt.serial), docAt("other", tt.serial+1)} {
				err := s.Write(t.Context(), st)
				var conflict *state.ConflictError
				if !errors.As(err, &conflict) || conflict.StoredSerial != tt.serial || conflict.StoredLineage != tt.lineage {
					t.Fatalf("Write of lineage %.10q serial %d = %v, want a conflict with serial %d", st.Lineage, st.Serial, err, tt.serial)
				}
				wantUnchanged(t, path, tt.body)
			}
			if err := s.Write(t.Context(), docAt(tt.lineage, tt.serial+1)); err != nil {
				t.Errorf("Write of the next serial: %v", err)
			}
		})
	}
}

// A state file whose lineage and serial Write cannot read is never
// replaced by Write; Overwrite replaces it. (Write reads only the head of a
// file in the shape it writes: damage past the serial is Read's to find.)
func TestWriteRefusesWhatItCannotCheck(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"damaged", `{"format_version": 1, "lineage": "lin", "serial": 5x, "vms": {}}`, "cannot be read"},
		{"cut short", `{"format_version": 1, "lineage": "li`, "unexpected end of JSON input"},
		{"newer format", `{"format_version": 99, "lineage": "lin", "serial": 5}`, "format_version is 99"},
		{"empty", ``, "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, local.StateFile)
			writeFile(t, path, tt.body)
			s := local.New(dir)
			err := s.Write(t.Context(), docAt("lin", 6))
			if err == nil {
				t.Fatal("Write over a file it cannot check succeeded")
			}
			wantErrText(t, err, path, tt.want)
			wantUnchanged(t, path, tt.body)
			wantNoTempFiles(t, dir)
			if err := s.Overwrite(t.Context(), docAt("lin", 1)); err != nil {
				t.Fatalf("Overwrite: %v", err)
			}
			if got, err := s.Read(t.Context()); err != nil || got.Serial != 1 {
				t.Errorf("Read after Overwrite = (%+v, %v), want serial 1", got, err)
			}
		})
	}
}

func wantNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("%s left behind in %s", e.Name(), dir)
		}
	}
}
