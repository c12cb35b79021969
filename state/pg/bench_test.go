package pg_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
	"github.com/novacron/novacron/state/pg"
)

// benchmarkWrite writes a document of n VMs under the workspace lock, as
// an apply saves state: encode, the serial check and the row's update in
// one transaction on the lock's connection.
func benchmarkWrite(b *testing.B, n int, sealer state.Sealer) {
	bk, err := pg.Open(b.Context(), pg.Config{ConnString: pgtest.ConnString(b), Schema: pgtest.Schema(b), Sealer: sealer})
	if err != nil {
		b.Fatal(err)
	}
	defer bk.Close()
	s := store(b, bk, state.DefaultWorkspace)
	id, err := s.Lock(ctxTimeout(b, 10*time.Second), info)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Unlock(id)
	st := sample("bench", 0, n)
	b.ResetTimer()
	for b.Loop() {
		st.Serial++
		if err := s.Write(b.Context(), st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite1k writes a 1,000-VM document.
func BenchmarkWrite1k(b *testing.B) { benchmarkWrite(b, 1_000, nil) }

// BenchmarkWrite10k writes a 10,000-VM document.
func BenchmarkWrite10k(b *testing.B) { benchmarkWrite(b, 10_000, nil) }

// BenchmarkWrite10kSealed is BenchmarkWrite10k under a state/encryption
// key: sealing, and Write's check that the stored sealed document opens
// (it is fetched and decrypted).
func BenchmarkWrite10kSealed(b *testing.B) {
	s, err := encryption.NewWithKey(make([]byte, encryption.KeySize), encryption.EnvKey)
	if err != nil {
		b.Fatal(err)
	}
	benchmarkWrite(b, 10_000, s)
}

// BenchmarkLockHandOver measures a lock passing between two runners (two
// backends, as two processes would have): from the holder's Unlock to the
// return of the Lock another runner waits in. Each round starts once the
// waiter waits in PostgreSQL (its advisory lock not granted).
func BenchmarkLockHandOver(b *testing.B) {
	conn, schema := pgtest.ConnString(b), pgtest.Schema(b)
	holder := store(b, open(b, schema), state.DefaultWorkspace)
	waiter := store(b, open(b, schema), state.DefaultWorkspace)
	watch, err := pgx.Connect(b.Context(), conn)
	if err != nil {
		b.Fatal(err)
	}
	defer watch.Close(context.Background())
	id, err := holder.Lock(ctxTimeout(b, 10*time.Second), info)
	if err != nil {
		b.Fatal(err)
	}
	type result struct {
		id  string
		err error
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		got := make(chan result, 1)
		go func() {
			id, err := waiter.Lock(ctxTimeout(b, time.Minute), info)
			got <- result{id, err}
		}()
		waitForWaiter(b, watch)
		b.StartTimer()
		if err := holder.Unlock(id); err != nil {
			b.Fatal(err)
		}
		r := <-got
		b.StopTimer()
		if r.err != nil {
			b.Fatal(r.err)
		}
		holder, waiter, id = waiter, holder, r.id
	}
	holder.Unlock(id)
}

// waitForWaiter polls pg_locks until a session waits for an advisory lock.
func waitForWaiter(b *testing.B, c *pgx.Conn) {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		var n int
		if err := c.QueryRow(b.Context(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	b.Fatal("the waiting Lock did not reach pg_advisory_lock within 30 s")
}
