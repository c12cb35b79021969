package local_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/state/local"
)

// A document that fails the check is refused and nothing is written,
// whether it is checked before encoding (small) or beside it (from
// 10,000 VMs); a sound one of either size is written and read back.
func TestWriteChecksBesideEncoding(t *testing.T) {
	for _, tc := range []struct {
		name string
		vms  int
		bad  bool
	}{
		{"small sound", 100, false},
		{"small bad", 100, true},
		{"large sound", 10_000, false},
		{"large bad", 10_000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			st := bigState(tc.vms)
			st.Serial = 1
			if tc.bad {
				st.VMs["fleet.web[77]"].ID = "vm-77\x07"
			}
			err := local.New(dir).Write(t.Context(), st)
			_, statErr := os.Stat(filepath.Join(dir, local.StateFile))
			if tc.bad {
				if err == nil || !strings.Contains(err.Error(), `refusing to write a state document that could not be read back`) ||
					!strings.Contains(err.Error(), `vms["fleet.web[77]"].id`) {
					t.Fatalf("Write = %v; want the refusal naming vms[\"fleet.web[77]\"].id", err)
				}
				if !errors.Is(statErr, fs.ErrNotExist) {
					t.Fatalf("a refused document left %s (stat: %v)", local.StateFile, statErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := local.New(dir).Read(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(got.VMs) != tc.vms {
				t.Errorf("read back %d VMs; want %d", len(got.VMs), tc.vms)
			}
		})
	}
}
