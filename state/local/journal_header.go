package local

import (
	"encoding/json"
	"fmt"

	"github.com/novacron/novacron/internal/formatversion"
	"github.com/novacron/novacron/state"
)

// readHeader reads the journal's first line (whole: ended by a line end).
// The journal is written with its header and first record at once
// (startJournal), so a first line that is no header, or a version that
// NovaCron never wrote (0, -1, a string, missing), is damage of the
// journal itself, refused naming it; a version above this build's is a
// newer journal. A line not ended is left to the stale journal's checks.
func (s *Store) readHeader(jpath, path string, first []byte, whole bool, jdata []byte, doc *state.State) (journalHeader, error) {
	if !whole {
		return journalHeader{}, nil
	}
	var raw struct {
		Version        json.RawMessage `json:"novacron_journal"`
		SnapshotSHA256 string          `json:"snapshot_sha256"`
	}
	if err := json.Unmarshal(first, &raw); err != nil {
		return journalHeader{}, s.damagedHeader(jpath, path, "its first line is not a journal header", jdata, doc)
	}
	v, ok := formatversion.Parse(raw.Version)
	if !ok {
		what := fmt.Sprintf("its header (line 1) is not one NovaCron writes (%s; journal versions are whole numbers from 1)",
			formatversion.Describe("novacron_journal", raw.Version))
		return journalHeader{}, s.damagedHeader(jpath, path, what, jdata, doc)
	}
	if v > journalVersion {
		return journalHeader{}, fmt.Errorf("the state journal %s has version %d; this nova-plan reads versions 1 to %d: upgrade nova-plan to read it (nothing was written)",
			jpath, v, journalVersion)
	}
	return journalHeader{Version: v, SnapshotSHA256: raw.SnapshotSHA256}, nil
}

// damagedHeader refuses a journal whose header is damaged: which
// state.json it follows is unknown, so its records are neither applied
// nor dropped.
func (s *Store) damagedHeader(jpath, path, what string, jdata []byte, doc *state.State) error {
	held := ""
	if newest, _ := s.scanRecords(jdata, doc); newest > doc.Serial {
		held = fmt.Sprintf(" Its records hold changes up to serial %d, newer than %s's serial %d.", newest, path, doc.Serial)
	}
	return fmt.Errorf("the state journal %s is damaged: %s, so the state.json it follows is unknown. Nothing was changed.%s "+
		"Restore the journal from a backup, or move %s away to go back to %s (the VMs it recorded are found again by their ownership markers)",
		jpath, what, held, jpath, path)
}
