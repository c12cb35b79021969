package pg_test

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
	"github.com/novacron/novacron/state/pg"
	"github.com/novacron/novacron/state/statetest"
)

// TestDeltaConformance runs statetest.RunDelta over pg stores: the default
// workspace and a created one, plaintext and sealed (state/encryption's
// Sealer, and the base64 stand-in that is no state.KeyChecker).
func TestDeltaConformance(t *testing.T) {
	key, err := encryption.NewWithKey(make([]byte, encryption.KeySize), encryption.EnvKey)
	if err != nil {
		t.Fatal(err)
	}
	conn := pgtest.ConnString(t)
	for _, sealer := range []struct {
		name string
		s    state.Sealer
	}{{"Plaintext", nil}, {"Encrypted", key}, {"Base64Sealed", base64Sealer{}}} {
		for _, ws := range []string{state.DefaultWorkspace, "staging"} {
			t.Run(sealer.name+"/"+ws, func(t *testing.T) {
				statetest.RunDelta(t, func(t *testing.T) state.DeltaStore {
					b, err := pg.Open(t.Context(), pg.Config{ConnString: conn, Schema: pgtest.Schema(t), Sealer: sealer.s})
					if err != nil {
						t.Fatalf("pg.Open: %v", err)
					}
					t.Cleanup(func() { b.Close() })
					return store(t, b, ws)
				})
			})
		}
	}
}

// tables reads a schema's rows for a test's checks, on a connection of
// its own.
type tables struct {
	t       *testing.T
	conn    *pgx.Conn
	connStr string
	schema  string // quoted
}

func newTables(t *testing.T, conn, schema string) *tables {
	c, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return &tables{t: t, conn: c, connStr: conn, schema: pgx.Identifier{schema}.Sanitize()}
}

// changes returns the serials of the workspace's change rows.
func (tb *tables) changes(ws string) []int64 {
	tb.t.Helper()
	rows, err := tb.conn.Query(tb.t.Context(), "SELECT serial FROM "+tb.schema+".changes WHERE workspace = $1 ORDER BY serial", ws)
	if err != nil {
		tb.t.Fatal(err)
	}
	serials, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		tb.t.Fatal(err)
	}
	return serials
}

// exec runs a statement on the schema ({s} is its name).
func (tb *tables) exec(sql string, args ...any) {
	tb.t.Helper()
	if _, err := tb.conn.Exec(tb.t.Context(), strings.ReplaceAll(sql, "{s}", tb.schema), args...); err != nil {
		tb.t.Fatal(err)
	}
}

// oldRead reads the workspace as a release without the changes table
// does: the document alone, checked against the row's lineage and serial.
func (tb *tables) oldRead(ws string) (doc *state.State, rowSerial uint64) {
	tb.t.Helper()
	var data []byte
	var serial int64
	if err := tb.conn.QueryRow(tb.t.Context(), "SELECT document, serial FROM "+tb.schema+".workspaces WHERE name = $1", ws).Scan(&data, &serial); err != nil {
		tb.t.Fatal(err)
	}
	doc, err := state.Decode(data)
	if err != nil {
		tb.t.Fatalf("decoding the document alone: %v", err)
	}
	return doc, uint64(serial)
}

// change returns the delta that adds n VMs to st (from index from) at the
// next serial, and applies it to st.
func change(st *state.State, from, n int) *state.Delta {
	more := sample(st.Lineage, st.Serial+1, from+n)
	d := &state.Delta{Lineage: st.Lineage, Serial: st.Serial + 1, Set: map[string]*state.VM{}}
	for i := from; i < from+n; i++ {
		addr := fmt.Sprintf("fleet.web[%d]", i)
		d.Set[addr] = more.VMs[addr]
	}
	d.Apply(st)
	return d
}

func writeDelta(t *testing.T, s *pg.Store, d *state.Delta) bool {
	t.Helper()
	compact, err := s.WriteDelta(t.Context(), d)
	if err != nil {
		t.Fatalf("WriteDelta of serial %d: %v", d.Serial, err)
	}
	return compact
}

// TestDeltaRows: a change is a row of the changes table; the workspace
// row's serial follows it while the document stays as written, so a
// release that reads the document alone sees a row/document mismatch
// (and refuses) rather than a stale state. Losing a change row is the
// same mismatch for this release. Compact leaves the document alone.
func TestDeltaRows(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	s := store(t, open(t, schema), state.DefaultWorkspace)
	tb := newTables(t, conn, schema)
	st := sample("lin", 1, 2)
	writeOK(t, s, st)
	writeDelta(t, s, change(st, 2, 1))
	writeDelta(t, s, change(st, 3, 1))
	if got := tb.changes("default"); fmt.Sprint(got) != "[2 3]" {
		t.Errorf("change rows = %v, want serials [2 3]", got)
	}
	wantRead(t, s, st)
	doc, rowSerial := tb.oldRead("default")
	if doc.Serial != 1 || rowSerial != 3 || len(doc.VMs) != 2 {
		t.Errorf("document alone: serial %d with %d VMs, row serial %d; want the document of serial 1 (2 VMs) under row serial 3, which an older release refuses",
			doc.Serial, len(doc.VMs), rowSerial)
	}
	tb.exec("DELETE FROM {s}.changes WHERE serial = 3")
	var mismatch *state.MismatchError
	_, err := s.Read(t.Context())
	if !errors.As(err, &mismatch) || mismatch.RowSerial != 3 || mismatch.DocSerial != 1 || mismatch.ChangeSerial != 2 {
		t.Fatalf("Read with the last change row lost = %v, want a *state.MismatchError (row serial 3, document 1, change rows up to 2)", err)
	}
	if want := "the document in it has lineage \"lin\" serial 1 and change rows up to serial 2"; !strings.Contains(err.Error(), want) {
		t.Errorf("Read with the last change row lost = %v, want it to say %q", err, want)
	}
}

// TestDeltaCompactWhenOutgrown: WriteDelta asks for compaction once the
// changes' bytes exceed the document's; Compact then leaves no change row,
// and the state read is the same.
func TestDeltaCompactWhenOutgrown(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	s := store(t, open(t, schema), state.DefaultWorkspace)
	tb := newTables(t, conn, schema)
	st := sample("lin", 1, 10)
	writeOK(t, s, st)
	if writeDelta(t, s, change(st, 10, 3)) {
		t.Errorf("WriteDelta of 3 VMs over a document of 10 asked for compaction")
	}
	if !writeDelta(t, s, change(st, 13, 10)) {
		t.Errorf("WriteDelta bringing the changes to 13 VMs over a document of 10 did not ask for compaction")
	}
	if err := s.Compact(t.Context(), st); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	if got := tb.changes("default"); len(got) != 0 {
		t.Errorf("change rows after Compact = %v, want none", got)
	}
	wantRead(t, s, st)
	if doc, rowSerial := tb.oldRead("default"); doc.Serial != 3 || rowSerial != 3 {
		t.Errorf("after Compact the document alone has serial %d, the row %d; want 3 and 3", doc.Serial, rowSerial)
	}
}

// TestDeltaLockLeavesRows: the changes a killed run left stay through the
// next Lock (a command such as state rekey must see the document as it is
// stored), Read applies them, and the next whole write deletes them, so
// that a release that reads the document alone can read it again.
func TestDeltaLockLeavesRows(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	s := store(t, open(t, schema), state.DefaultWorkspace)
	tb := newTables(t, conn, schema)
	st := sample("lin", 1, 2)
	writeOK(t, s, st)
	writeDelta(t, s, change(st, 2, 2))
	next := store(t, open(t, schema), state.DefaultWorkspace)
	id, err := next.Lock(ctxTimeout(t, 10*time.Second), info)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	defer next.Unlock(id)
	if got := tb.changes("default"); fmt.Sprint(got) != "[2]" {
		t.Errorf("change rows after Lock = %v, want [2] as the killed run left them", got)
	}
	if doc, rowSerial := tb.oldRead("default"); doc.Serial != 1 || rowSerial != 2 {
		t.Errorf("after Lock the document alone has serial %d, the row %d; want 1 and 2 (the document untouched)", doc.Serial, rowSerial)
	}
	wantRead(t, next, st)
	st.Serial++
	writeOK(t, next, st)
	if got := tb.changes("default"); len(got) != 0 {
		t.Errorf("change rows after a whole write = %v, want none", got)
	}
	if doc, rowSerial := tb.oldRead("default"); doc.Serial != 3 || rowSerial != 3 || len(doc.VMs) != 4 {
		t.Errorf("after a whole write the document alone has serial %d and %d VMs, the row serial %d; want 3, 4, 3", doc.Serial, len(doc.VMs), rowSerial)
	}
}

// TestDeltaSealed: under a key a change row is sealed like the document
// (no VM name in it); a backend without the key refuses it.
func TestDeltaSealed(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	key, err := encryption.NewWithKey(make([]byte, encryption.KeySize), encryption.EnvKey)
	if err != nil {
		t.Fatal(err)
	}
	b, err := pg.Open(t.Context(), pg.Config{ConnString: conn, Schema: schema, Sealer: key})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	s := store(t, b, state.DefaultWorkspace)
	st := sample("lin", 1, 2)
	writeOK(t, s, st)
	writeDelta(t, s, change(st, 2, 1))
	recs := queryStrings(t, conn, "SELECT encode(record, 'escape') FROM "+pgx.Identifier{schema}.Sanitize()+".changes")
	if len(recs) != 1 || !state.IsSealed([]byte(recs[0])) || strings.Contains(recs[0], "web-00002") {
		t.Errorf("change rows = %q, want one sealed record without the VM's name", recs)
	}
	wantRead(t, s, st)
	if _, err := store(t, open(t, schema), state.DefaultWorkspace).Read(t.Context()); !errors.Is(err, state.ErrNoKey) {
		t.Errorf("Read without the key = %v, want state.ErrNoKey", err)
	}
}

// TestDeltaPlaintextUnderAKey: a plaintext document is not added to under
// a key (state.ErrWriteWhole, nothing written): the whole write encrypts it.
func TestDeltaPlaintextUnderAKey(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	st := sample("lin", 1, 2)
	writeOK(t, store(t, open(t, schema), state.DefaultWorkspace), st)
	b, err := pg.Open(t.Context(), pg.Config{ConnString: conn, Schema: schema, Sealer: base64Sealer{}})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	s := store(t, b, state.DefaultWorkspace)
	if _, err := s.WriteDelta(t.Context(), change(st.Clone(), 2, 1)); !errors.Is(err, state.ErrWriteWhole) {
		t.Errorf("WriteDelta over a plaintext document with a key = %v, want state.ErrWriteWhole", err)
	}
	if got := newTables(t, conn, schema).changes("default"); len(got) != 0 {
		t.Errorf("change rows = %v, want none", got)
	}
}

// TestDeltaDamagedRow: a change row whose bytes were altered (cut short,
// a bit flipped, a value changed so that the record still reads) is an error
// naming the workspace and the serial, for Read, for the refusal of a
// workspace delete and after a Lock; nothing is written over it.
func TestDeltaDamagedRow(t *testing.T) {
	for _, sealer := range []struct {
		name string
		s    state.Sealer
	}{{"Plaintext", nil}, {"Sealed", base64Sealer{}}} {
		for _, alter := range []struct{ name, sql string }{
			{"CutShort", "UPDATE {s}.changes SET record = substring(record from 1 for octet_length(record) - 1)"},
			{"BitFlipped", "UPDATE {s}.changes SET record = set_byte(record, 40, get_byte(record, 40) # 1)"},
			// "cpu":2 made "cpu":3: a record that still reads, found by its checksum.
			{"CPUChanged", `UPDATE {s}.changes SET record = set_byte(record, position('"cpu":2'::bytea in record) + 5, 51) WHERE position('"cpu":2'::bytea in record) > 0`},
		} {
			if alter.name == "CPUChanged" && sealer.s != nil {
				continue // a sealed record holds no "cpu"
			}
			t.Run(sealer.name+"/"+alter.name, func(t *testing.T) {
				conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
				b, err := pg.Open(t.Context(), pg.Config{ConnString: conn, Schema: schema, Sealer: sealer.s})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { b.Close() })
				s := store(t, b, "staging")
				tb := newTables(t, conn, schema)
				st := sample("lin", 1, 2)
				writeOK(t, s, st)
				writeDelta(t, s, change(st, 2, 1))
				tb.exec(alter.sql)
				damaged := queryStrings(t, conn, "SELECT encode(record, 'hex') FROM "+tb.schema+".changes")
				_, err = s.Read(t.Context())
				wantDamaged(t, "Read", err)
				wantDamaged(t, "DeleteWorkspace", b.DeleteWorkspace(t.Context(), "staging", false))
				id, err := s.Lock(ctxTimeout(t, 10*time.Second), info)
				if err != nil {
					t.Fatalf("Lock: %v", err)
				}
				_, err = s.Read(t.Context())
				wantDamaged(t, "Read after Lock", err)
				if err := s.Unlock(id); err != nil {
					t.Error(err)
				}
				if got := queryStrings(t, conn, "SELECT encode(record, 'hex') FROM "+tb.schema+".changes"); fmt.Sprint(got) != fmt.Sprint(damaged) {
					t.Errorf("the damaged change row was changed")
				}
			})
		}
	}
}

func wantDamaged(t *testing.T, what string, err error) {
	t.Helper()
	for _, want := range []string{`workspace "staging"`, "change at serial 2", "damaged"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s of a damaged change row = %v, want an error saying %q", what, err, want)
		}
	}
}

// TestDeltaDeleteRefusedManaged: a workspace whose document holds no VM
// but whose change row records one still manages it: delete is refused.
func TestDeltaDeleteRefusedManaged(t *testing.T) {
	b := newBackend(t)
	s := store(t, b, "staging")
	st := sample("lin", 1, 0)
	writeOK(t, s, st)
	writeDelta(t, s, change(st, 0, 1))
	err := b.DeleteWorkspace(t.Context(), "staging", false)
	if err == nil || !strings.Contains(err.Error(), "still manages 1 VMs") {
		t.Errorf("DeleteWorkspace with a VM recorded in a change row = %v, want it refused (still manages 1 VMs)", err)
	}
	wantRead(t, s, st)
}

// TestDeltaAfterLockLostFails: a lost lock fails WriteDelta as it fails
// Write: nothing is written unlocked.
func TestDeltaAfterLockLostFails(t *testing.T) {
	schema := pgtest.Schema(t)
	holder := store(t, open(t, schema), state.DefaultWorkspace)
	other := store(t, open(t, schema), state.DefaultWorkspace)
	st := sample("lin", 1, 3)
	writeOK(t, holder, st)
	id, err := holder.Lock(ctxTimeout(t, 5*time.Second), info)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	writeDelta(t, holder, change(st, 3, 1))
	if err := other.ForceUnlock(id); err != nil {
		t.Fatalf("ForceUnlock: %v", err)
	}
	_, err = holder.WriteDelta(t.Context(), change(st.Clone(), 4, 1))
	wantLost(t, "WriteDelta", err, id)
	wantLost(t, "Compact", holder.Compact(t.Context(), st), id)
	wantRead(t, other, st)
}

func writeOK(t *testing.T, s state.Store, st *state.State) {
	t.Helper()
	if err := s.Write(t.Context(), st); err != nil {
		t.Fatalf("Write of serial %d: %v", st.Serial, err)
	}
}

// TestDeltaSerialGap: change rows must follow the document's serial one by
// one; a missing row between two others (the last one still there, so the
// row's serial matches) is damage naming the workspace and the missing
// serial, and nothing is written over it.
func TestDeltaSerialGap(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	b := open(t, schema)
	s := store(t, b, "staging")
	tb := newTables(t, conn, schema)
	st := sample("lin", 1, 2)
	writeOK(t, s, st)
	for i := range 3 {
		writeDelta(t, s, change(st, 2+i, 1))
	}
	tb.exec("DELETE FROM {s}.changes WHERE serial = 3")
	wantGap := func(what string, err error) {
		t.Helper()
		for _, want := range []string{`workspace "staging"`, "change at serial 3", "damaged", "missing"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s with the change row of serial 3 missing = %v, want an error saying %q", what, err, want)
			}
		}
	}
	_, err := s.Read(t.Context())
	wantGap("Read", err)
	wantGap("DeleteWorkspace", b.DeleteWorkspace(t.Context(), "staging", false))
	if got := tb.changes("staging"); fmt.Sprint(got) != "[2 4]" {
		t.Errorf("change rows = %v, want [2 4] left untouched", got)
	}
}

// TestDeltaRowLineage: a change row's record names its state's lineage; a
// record copied from another workspace's rows (its checksum fixed) and a
// record naming no lineage are damage, not applied.
func TestDeltaRowLineage(t *testing.T) {
	for _, tc := range []struct {
		name   string
		record func(tb *tables) []byte
		want   string
	}{
		{"FromAnotherWorkspace", func(tb *tables) []byte {
			return []byte(queryStrings(tb.t, tb.connStr, "SELECT encode(record, 'escape') FROM "+tb.schema+".changes WHERE workspace = 'default'")[0])
		}, "another state"},
		{"WithoutLineage", func(tb *tables) []byte {
			d := change(sample("lin", 1, 2), 2, 1)
			return state.EncodeDelta(d)
		}, "lineage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
			b := open(t, schema)
			tb := newTables(t, conn, schema)
			other, st := sample("other", 1, 2), sample("lin", 1, 2)
			writeOK(t, store(t, b, state.DefaultWorkspace), other)
			writeDelta(t, store(t, b, state.DefaultWorkspace), change(other, 2, 1))
			s := store(t, b, "staging")
			writeOK(t, s, st)
			writeDelta(t, s, change(st, 2, 1))
			rec := tc.record(tb)
			tb.exec("UPDATE {s}.changes SET record = $1, crc32c = $2 WHERE workspace = 'staging'", rec, int64(crc32.Checksum(rec, crc32.MakeTable(crc32.Castagnoli))))
			_, err := s.Read(t.Context())
			wantDamaged(t, "Read", err)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read = %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// TestDeltaRowsWithoutDocument: change rows under a row that holds no
// document and serial 0 are a mismatch (a row changed outside NovaCron),
// not "no state yet": Read refuses, naming the rows' last serial apart
// from the row's, and a workspace delete is refused, not allowed over the
// rows' VMs.
func TestDeltaRowsWithoutDocument(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	b := open(t, schema)
	s := store(t, b, "staging")
	tb := newTables(t, conn, schema)
	st := sample("lin", 1, 2)
	writeOK(t, s, st)
	writeDelta(t, s, change(st, 2, 1))
	tb.exec("UPDATE {s}.workspaces SET document = NULL, serial = 0 WHERE name = 'staging'")
	_, err := s.Read(t.Context())
	var mismatch *state.MismatchError
	if !errors.As(err, &mismatch) || mismatch.ChangeSerial != 2 || mismatch.RowSerial != 0 {
		t.Fatalf("Read of change rows without a document = %v, want a *state.MismatchError naming the rows' serial 2 and the row's 0", err)
	}
	if want := "change rows up to serial 2"; !strings.Contains(err.Error(), want) {
		t.Errorf("Read of change rows without a document = %v, want it to say %q", err, want)
	}
	if err := b.DeleteWorkspace(t.Context(), "staging", false); !errors.As(err, &mismatch) {
		t.Errorf("DeleteWorkspace of change rows without a document = %v, want it refused with the mismatch", err)
	}
	if got := tb.changes("staging"); fmt.Sprint(got) != "[2]" {
		t.Errorf("change rows = %v, want [2] left untouched", got)
	}
}

// TestDeltaInvalidRowWording: a change row whose record does not pass
// state.ValidateDelta is damage worded for a state kept in the database
// (no "the file"), each sentence ended once, naming the repair command.
func TestDeltaInvalidRowWording(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	s := store(t, open(t, schema), "staging")
	tb := newTables(t, conn, schema)
	st := sample("lin", 1, 2)
	writeOK(t, s, st)
	writeDelta(t, s, change(st, 2, 1))
	bad := change(sample("lin", 1, 2), 2, 1)
	bad.Set["fleet.web[2]"].ID = ""
	rec := state.EncodeDeltaRecord(bad, 0)
	tb.exec("UPDATE {s}.changes SET record = $1, crc32c = $2 WHERE workspace = 'staging'", rec, int64(crc32.Checksum(rec, crc32.MakeTable(crc32.Castagnoli))))
	_, err := s.Read(t.Context())
	wantDamaged(t, "Read", err)
	var damaged *state.DamagedError
	if !errors.As(err, &damaged) || damaged.RowLineage != "lin" || damaged.RowSerial != 2 {
		t.Errorf("Read = %#v, want a *state.DamagedError with the row's lineage and serial", err)
	}
	for _, bad := range []string{"the file", "..", "state push`"} {
		if err != nil && strings.Contains(err.Error(), bad) {
			t.Errorf("Read = %v, want no %q in it", err, bad)
		}
	}
	if err == nil || !strings.Contains(err.Error(), "adopts it. It was left untouched; replace the state") || !strings.Contains(err.Error(), "state push -force FILE") {
		t.Errorf("Read = %v, want the problem's fix, then the repair with state push -force FILE", err)
	}
}
