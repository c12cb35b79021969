package pg

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/state"
)

// Read returns the stored document with the changes written since it
// applied in order, or (nil, nil) when the workspace has none yet.
func (s *Store) Read(ctx context.Context) (*state.State, error) {
	row, err := s.fetch(ctx, s.b.pool)
	if err != nil {
		return nil, err
	}
	return s.assemble(row)
}

// storedRow is a workspace's row with its change rows, read in one
// statement (one snapshot: a Compact meanwhile is seen whole or not at
// all).
type storedRow struct {
	doc     []byte
	lineage string
	serial  int64
	serials []int64  // of the change rows, ascending
	records [][]byte // the change rows' records, in that order
	sums    []int64  // and their checksums
}

// fetch reads the workspace's row and its change rows through q (the
// pool, or a transaction).
func (s *Store) fetch(ctx context.Context, q querier) (*storedRow, error) {
	var r storedRow
	err := q.QueryRow(ctx, s.b.q(`SELECT w.document, w.lineage, w.serial,
	coalesce((SELECT array_agg(c.serial ORDER BY c.serial) FROM {s}.changes c WHERE c.workspace = w.name), '{}'),
	coalesce((SELECT array_agg(c.record ORDER BY c.serial) FROM {s}.changes c WHERE c.workspace = w.name), '{}'),
	coalesce((SELECT array_agg(c.crc32c ORDER BY c.serial) FROM {s}.changes c WHERE c.workspace = w.name), '{}')
FROM {s}.workspaces w WHERE w.name = $1`), s.name).Scan(&r.doc, &r.lineage, &r.serial, &r.serials, &r.records, &r.sums)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, s.b.noWorkspace(ctx, s.name)
	}
	if err != nil {
		return nil, s.b.fail(fmt.Sprintf("reading the state of workspace %q", s.name), err)
	}
	return &r, nil
}

// assemble decodes a row's document and applies its changes. The result
// must have the row's lineage and serial, and change rows need a document:
// otherwise the row was changed outside NovaCron (a *state.MismatchError). A release that reads only
// the document sees the same error while changes are stored, since
// WriteDelta raises the row's serial, not the document's.
func (s *Store) assemble(r *storedRow) (*state.State, error) {
	if r.doc == nil && r.serial == 0 && len(r.serials) == 0 {
		return nil, nil
	}
	mismatch := &state.MismatchError{Workspace: s.name, Where: s.where(),
		RowLineage: r.lineage, RowSerial: uint64(r.serial)}
	if r.doc == nil { // change rows without a document are damage too
		if n := len(r.serials); n > 0 {
			mismatch.ChangeSerial = uint64(r.serials[n-1])
		}
		return nil, mismatch
	}
	st, err := s.decode(r.doc)
	if st == nil {
		return nil, s.rowOf(err, r)
	}
	docSerial := st.Serial
	if cerr := s.applyChanges(st, r); cerr != nil {
		return nil, s.rowOf(cerr, r)
	}
	if st.Lineage != r.lineage || st.Serial != uint64(r.serial) {
		mismatch.DocLineage, mismatch.DocSerial, mismatch.Doc = st.Lineage, docSerial, st
		if st.Serial != docSerial {
			mismatch.ChangeSerial = st.Serial
		}
		return nil, mismatch
	}
	return st, s.rowOf(err, r)
}

// rowOf gives a *state.DamagedError the lineage and serial of the row r.
func (s *Store) rowOf(err error, r *storedRow) error {
	var damaged *state.DamagedError
	if errors.As(err, &damaged) {
		damaged.RowLineage, damaged.RowSerial = r.lineage, uint64(r.serial)
	}
	return err
}

// where names the workspace's state in messages.
func (s *Store) where() string {
	return fmt.Sprintf("the state of workspace %q in %s", s.name, s.b.desc)
}

// applyChanges applies the change rows above st's serial to st, in order,
// and checks the result as a document is checked. Each must follow the one
// before (the document's serial + 1, + 2, …): a gap is damage. A change
// row at or below the document's serial is in the document already (a
// whole write of a release that does not know the changes table left it):
// it is skipped, and the next write deletes it.
func (s *Store) applyChanges(st *state.State, r *storedRow) error {
	applied := 0
	for i, rec := range r.records {
		serial := uint64(r.serials[i])
		if serial <= st.Serial {
			continue
		}
		if serial != st.Serial+1 {
			return s.damagedChange(st.Serial+1, fmt.Errorf("it is missing (the change rows go from serial %d to %d)", st.Serial, serial))
		}
		d, err := s.decodeChange(rec, r.sums[i], st.Lineage, serial)
		if err != nil {
			return err
		}
		d.Apply(st)
		applied++
	}
	if applied == 0 {
		return nil
	}
	var invalid *state.InvalidError
	if err := state.Validate(st); errors.As(err, &invalid) {
		invalid.Source = s.where() + " with the changes written since its document"
		return s.invalidStored(invalid)
	} else if err != nil {
		return err
	}
	return nil
}

// decodeChange checks, opens and decodes the change row of serial: a
// record WriteDelta wrote (state.EncodeDeltaRecord's line, sealed like the
// document) whose checksum is sum, which must record that serial. A
// record that cannot be read is an error naming the workspace and the
// serial.
func (s *Store) decodeChange(rec []byte, sum int64, lineage string, serial uint64) (*state.Delta, error) {
	if got := checksum(rec); got != sum {
		return nil, s.damagedChange(serial, fmt.Errorf("it cannot be read: its checksum does not match its bytes (crc32c %08x, the row gives %08x): "+
			"the record was changed after it was written", got, sum))
	}
	plain, err := state.OpenStored(s.b.sealer, rec)
	if errors.Is(err, state.ErrNoKey) {
		return nil, fmt.Errorf("%s: its change at serial %d: %w", s.where(), serial, err)
	}
	var d *state.Delta
	if err == nil {
		d, err = state.DecodeDeltaRecord(plain, lineage) // of this state, not a copy from another
	}
	if err == nil && d.Serial != serial {
		err = fmt.Errorf("it records serial %d", d.Serial)
	}
	if err != nil {
		return nil, s.damagedChange(serial, fmt.Errorf("it cannot be read: %w", err))
	}
	return d, nil
}

// damagedChange is the error of a change row that cannot be read or is
// missing (err says which), a *state.DamagedError.
func (s *Store) damagedChange(serial uint64, err error) error {
	why := strings.TrimSuffix(storedWording.Replace(err.Error()), ".") // a listed problem's fix ends with one
	return &state.DamagedError{Workspace: s.name, Err: fmt.Errorf("%s is damaged: its change at serial %d (table %s.changes): %s. "+
		"It was left untouched; %s", s.where(), serial, s.b.qschema, why, s.repair())}
}

// invalidStored is the error of a stored state that state.Validate
// refuses: a *state.DamagedError (state push -force replaces it) around
// inv, its fixes worded for a state that is no file.
func (s *Store) invalidStored(inv *state.InvalidError) error {
	for i := range inv.Problems {
		inv.Problems[i].Fix = storedWording.Replace(inv.Problems[i].Fix)
	}
	return &state.DamagedError{Workspace: s.name, Err: fmt.Errorf("%w\nTo repair it, %s", inv, s.repair())}
}

// repair is the sentence that says how to replace a damaged state.
func (s *Store) repair() string {
	return fmt.Sprintf("replace the state with a good document (a state pull or recovery file from before the damage, or a backup) with `%s`",
		state.Command(s.name, "state push -force FILE"))
}

// storedWording rewords state.Validate's fixes, written for a state file,
// for a state kept in the database.
var storedWording = strings.NewReplacer(
	"restore the file from a backup", "restore the state from a backup",
	"Restore the file from a backup", "Restore the state from a backup")
