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
	"slices"

	"github.com/novacron/novacron/state"
)

// AppendHistory appends recs to history.jsonl in a single write and syncs
// the file. Earlier lines are never changed, and a record never continues a
// torn one: a last line without its newline is set aside first (see
// repairTail). When the write or sync fails (a full disk), the file is cut
// back to where it ended, so no torn record is left behind.
func (s *Store) AppendHistory(ctx context.Context, recs []state.HistoryRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(recs) == 0 {
		return nil
	}
	buf, err := state.AppendHistoryLine(nil, recs[0]) // one record per line
	if err != nil {
		return err
	}
	// The records of an apply are much alike: size the buffer by the first,
	// with some room, so that it grows seldom.
	buf = slices.Grow(buf, (len(buf)+len(buf)/8)*len(recs))
	for _, r := range recs[1:] {
		if buf, err = state.AppendHistoryLine(buf, r); err != nil {
			return err
		}
	}
	if err := s.makeDir(); err != nil {
		return err
	}
	return s.appendFile(s.path(HistoryFile), buf)
}

func (s *Store) appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	end, err := s.repairTail(f)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		if terr := f.Truncate(end); terr != nil {
			return fmt.Errorf("appending to %s: %w; cutting the partial record off also failed: %v", path, err, terr)
		}
		return fmt.Errorf("appending to %s: %w; the file was left as it was", path, err)
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
		return nil, err
	}
	defer f.Close()
	return readHistory(path, bufio.NewReader(f))
}

// readHistory decodes one record per line. A last line without its
// newline is a record still being appended, or one torn by a crash that the
// next Lock sets aside: it is read when it is whole and skipped when not.
func readHistory(path string, r *bufio.Reader) ([]state.HistoryRecord, error) {
	var recs []state.HistoryRecord
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		last := errors.Is(err, io.EOF)
		if len(bytes.TrimSpace(line)) > 0 {
			var rec state.HistoryRecord
			uerr := json.Unmarshal(line, &rec)
			switch {
			case uerr == nil:
				recs = append(recs, rec)
			case !last:
				return nil, fmt.Errorf("%s:%d: bad history record: %v", path, n, uerr)
			}
		}
		if last {
			return recs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
	}
}
