package pg

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/state"
)

// AppendHistory adds records to the workspace's history table in one
// transaction: all or none. Each row keeps the record as JSON, with its
// kind, time, run ID and address in columns of their own for queries.
// Rows are never changed (a trigger refuses UPDATE).
func (s *Store) AppendHistory(ctx context.Context, recs []state.HistoryRecord) error {
	if len(recs) == 0 {
		return nil
	}
	rows := make([][]any, len(recs))
	for i, r := range recs {
		data, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encoding a history record: %w", err)
		}
		rows[i] = []any{s.name, string(r.Kind), r.Time, r.RunID, r.Address, string(data)}
	}
	return s.exec(ctx, "appending to the history of workspace "+s.name, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		for _, row := range rows {
			batch.Queue(s.b.q("INSERT INTO {s}.history (workspace, kind, time, run_id, address, record) VALUES ($1, $2, $3, $4, $5, $6)"), row...)
		}
		return tx.SendBatch(ctx, batch).Close()
	})
}

// History returns the workspace's records, oldest first.
func (s *Store) History(ctx context.Context) ([]state.HistoryRecord, error) {
	rows, err := s.b.pool.Query(ctx, s.b.q("SELECT record::text FROM {s}.history WHERE workspace = $1 ORDER BY id"), s.name)
	if err != nil {
		return nil, s.b.fail("reading the history of workspace "+s.name, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (state.HistoryRecord, error) {
		var text string
		var rec state.HistoryRecord
		if err := row.Scan(&text); err != nil {
			return rec, err
		}
		if err := json.Unmarshal([]byte(text), &rec); err != nil {
			return rec, fmt.Errorf("a history record of workspace %q is not a NovaCron record: %w", s.name, err)
		}
		return rec, nil
	})
	if err != nil {
		return nil, s.b.fail("reading the history of workspace "+s.name, err)
	}
	return out, nil
}
