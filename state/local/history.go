package local

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/novacron/novacron/state"
)

// AppendHistory appends recs to history.jsonl in a single write and syncs
// the file. Earlier lines are never touched.
func (s *Store) AppendHistory(ctx context.Context, recs []state.HistoryRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(recs) == 0 {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // one record per line
	enc.SetEscapeHTML(false)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("state/local: encoding history record: %w", err)
		}
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("state/local: %w", err)
	}
	return appendFile(s.path(HistoryFile), buf.Bytes())
}

func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("state/local: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("state/local: appending to %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("state/local: syncing %s: %w", path, err)
	}
	return f.Close()
}

// History returns every record of history.jsonl, oldest first; none when
// the file does not exist. Blank lines are ignored.
func (s *Store) History(ctx context.Context) ([]state.HistoryRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	path := s.path(HistoryFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state/local: %w", err)
	}
	defer f.Close()
	return readHistory(path, bufio.NewReader(f))
}

func readHistory(path string, r *bufio.Reader) ([]state.HistoryRecord, error) {
	var recs []state.HistoryRecord
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var rec state.HistoryRecord
			if uerr := json.Unmarshal(line, &rec); uerr != nil {
				return nil, fmt.Errorf("state/local: %s:%d: bad history record: %v", path, n, uerr)
			}
			recs = append(recs, rec)
		}
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("state/local: reading %s: %w", path, err)
		}
	}
}
