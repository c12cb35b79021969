package pg

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/state"
)

var _ state.DeltaStore = (*Store)(nil)

// WriteDelta stores d as one row of the changes table, and raises the
// workspace row's serial (not its document's) to d's, in one transaction,
// the row locked (SELECT … FOR UPDATE) while the lineage and serial rules
// are checked: a *state.ConflictError writes nothing. With no document
// stored, or a plaintext one when the backend has a key, it returns
// state.ErrWriteWhole. It reports compact once the changes' bytes exceed
// the document's.
func (s *Store) WriteDelta(ctx context.Context, d *state.Delta) (bool, error) {
	rec, err := s.encodeChange(d)
	if err != nil {
		return false, err
	}
	compact := false
	err = s.exec(ctx, "writing a change of the state of workspace "+s.name, func(tx pgx.Tx) error {
		r, err := s.lockRow(ctx, tx)
		if err != nil {
			return err
		}
		if err := s.checkDelta(ctx, tx, r, d); err != nil {
			return err
		}
		batch := &pgx.Batch{}
		batch.Queue(s.b.q("INSERT INTO {s}.changes (workspace, serial, record, crc32c) VALUES ($1, $2, $3, $4)"),
			s.name, int64(d.Serial), rec, checksum(rec))
		batch.Queue(s.b.q("UPDATE {s}.workspaces SET serial = $2, updated = now() WHERE name = $1"), s.name, int64(d.Serial))
		compact = r.changeBytes+int64(len(rec)) > r.docBytes
		return tx.SendBatch(ctx, batch).Close()
	})
	return compact && err == nil, err
}

// checkDelta applies WriteDelta's rules to the locked row r.
func (s *Store) checkDelta(ctx context.Context, tx pgx.Tx, r *lockedRow, d *state.Delta) error {
	if !r.has || (s.b.sealer != nil && r.head == nil) {
		return state.ErrWriteWhole // none to add to, or a plaintext one to encrypt first
	}
	if r.lineage != d.Lineage || r.serial >= d.Serial {
		return r.conflict(d.Lineage, d.Serial)
	}
	return s.checkOpens(ctx, tx, r)
}

// encodeChange checks d (state.ValidateDelta) and returns the record to
// store: state.EncodeDeltaRecord's line (the change with its lineage, as
// the local journal's records name it), sealed when the backend has a
// Sealer, as the local journal seals its records.
func (s *Store) encodeChange(d *state.Delta) ([]byte, error) {
	var invalid *state.InvalidError
	if err := state.ValidateDelta(d); errors.As(err, &invalid) {
		return nil, fmt.Errorf("refusing to write a state change that could not be read back:%s", invalid.List())
	} else if err != nil {
		return nil, err
	}
	rec := state.EncodeDeltaRecord(d, 0)
	if s.b.sealer == nil {
		return rec, nil
	}
	sealed, err := s.b.sealer.Seal(rec)
	if err != nil {
		return nil, fmt.Errorf("encrypting a change of the state of workspace %q: %w", s.name, err)
	}
	return sealed, nil
}

// Compact stores st, the document with the changes written since it
// applied, and deletes those changes, in one transaction. st must have
// the stored lineage and serial (the row's): otherwise it returns a
// *state.ConflictError and writes nothing.
func (s *Store) Compact(ctx context.Context, st *state.State) error {
	stored, err := s.encode(st)
	if err != nil {
		return err
	}
	return s.exec(ctx, "compacting the state of workspace "+s.name, func(tx pgx.Tx) error {
		r, err := s.lockRow(ctx, tx)
		if err != nil {
			return err
		}
		if !r.has || r.lineage != st.Lineage || r.serial != st.Serial {
			return r.conflict(st.Lineage, st.Serial)
		}
		if err := s.checkOpens(ctx, tx, r); err != nil {
			return err
		}
		return s.replace(ctx, tx, st, stored)
	})
}

// castagnoli is the CRC-32C table of the change rows' checksums.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksum is the CRC-32C of a change row's stored record, kept beside it
// so that a record altered after it was written (plaintext ones too) is
// found damaged instead of applied.
func checksum(rec []byte) int64 { return int64(crc32.Checksum(rec, castagnoli)) }
