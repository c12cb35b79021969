package state_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

// TestDeltaRecord: EncodeDeltaRecord's line names the lineage last and
// reads back with DecodeDeltaRecord under that lineage only; a line
// without a lineage (EncodeDelta's) is refused by DecodeDeltaRecord.
func TestDeltaRecord(t *testing.T) {
	d := &state.Delta{Lineage: "lin-a", Serial: 7, Set: map[string]*state.VM{}, Removed: []string{"fleet.web[0]"}}
	rec := state.EncodeDeltaRecord(d, 8)
	if !strings.HasSuffix(string(rec), `],"lineage":"lin-a"}`) || cap(rec)-len(rec) < 8 {
		t.Errorf("EncodeDeltaRecord = %s (spare %d), want the lineage last and 8 spare bytes", rec, cap(rec)-len(rec))
	}
	for _, tc := range []struct {
		name, lineage string
		line          []byte
		wantErr       string
	}{
		{"SameLineage", "lin-a", rec, ""},
		{"OtherLineage", "lin-b", rec, "another state"},
		{"NoLineage", "lin-a", state.EncodeDelta(d), `does not name the lineage`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := state.DecodeDeltaRecord(tc.line, tc.lineage)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("DecodeDeltaRecord = %v, want an error saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(d, got); diff != "" {
				t.Errorf("DecodeDeltaRecord (-want +got):\n%s", diff)
			}
		})
	}
}
