package pg_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"syscall"
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

// BenchmarkWriterApply10k is the state writes of an apply through
// state.Writer on the pg backend, under the workspace lock: 50 persists
// of 200 new VMs each (Flush after each 200), then Close. "fresh" starts
// from an empty document and ends at 10,000 VMs; "onto10k" adds them to a
// document of 10,000. "delta" is the store as it is (a state.DeltaStore:
// change rows, compacted when they outgrow the document and at Close);
// "whole" hides WriteDelta, so every persist rewrites the document.
// sent-MB is what the process wrote (wchar of /proc/self/io: the bytes
// sent to PostgreSQL), cpu-ms its CPU time, wal-MB the WAL the server
// wrote meanwhile (server-wide: other sessions' writes count too).
func BenchmarkWriterApply10k(b *testing.B) {
	const batches, per = 50, 200
	for _, base := range []struct {
		name string
		vms  int
	}{{"fresh", 0}, {"onto10k", 10_000}} {
		all := sample("bench", 1, base.vms+batches*per)
		for _, mode := range []string{"delta", "whole"} {
			b.Run(base.name+"/"+mode, func(b *testing.B) {
				s := lockedStore(b)
				var store state.Store = s
				if mode == "whole" {
					store = wholeStore{s}
				}
				b.ReportAllocs()
				var sent, cpu, wal float64
				for range b.N {
					b.StopTimer()
					st := sample("bench", 1, base.vms)
					if err := s.Overwrite(b.Context(), st); err != nil {
						b.Fatal(err)
					}
					w0, c0, l0 := wchar(b), cpuTime(), walLSN(b)
					b.StartTimer()
					w := state.NewWriter(store, st)
					for i := base.vms; i < base.vms+batches*per; i++ {
						addr := "fleet.web[" + strconv.Itoa(i) + "]"
						w.Set(addr, all.VMs[addr])
						if (i-base.vms+1)%per == 0 {
							if err := w.Flush(b.Context()); err != nil {
								b.Fatal(err)
							}
						}
					}
					if err := w.Close(b.Context()); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					sent += float64(wchar(b) - w0)
					cpu += float64(cpuTime() - c0)
					wal += float64(walLSN(b) - l0)
					b.StartTimer()
				}
				b.ReportMetric(sent/1e6/float64(b.N), "sent-MB/op")
				b.ReportMetric(cpu/1e6/float64(b.N), "cpu-ms/op")
				b.ReportMetric(wal/1e6/float64(b.N), "wal-MB/op")
			})
		}
	}
}

// wholeStore hides the DeltaStore methods of a store: the writer writes
// every persist whole, as before the changes table.
type wholeStore struct{ state.Store }

// lockedStore returns the default workspace's store over a fresh schema,
// holding its lock until the benchmark ends.
func lockedStore(b *testing.B) *pg.Store {
	s := store(b, newBackend(b), state.DefaultWorkspace)
	id, err := s.Lock(ctxTimeout(b, 10*time.Second), info)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Unlock(id) })
	return s
}

// walLSN returns the server's current WAL insert position, in bytes.
func walLSN(b *testing.B) int64 {
	c, err := pgx.Connect(b.Context(), pgtest.ConnString(b))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(context.Background())
	var n int64
	if err := c.QueryRow(b.Context(), "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint").Scan(&n); err != nil {
		b.Fatalf("reading the WAL position (pg_current_wal_insert_lsn): %v", err)
	}
	return n
}

// wchar returns the bytes this process has written (/proc/self/io).
func wchar(b *testing.B) int64 {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		b.Fatalf("reading /proc/self/io, which this benchmark needs: %v", err)
	}
	for line := range bytes.Lines(data) {
		if v, ok := bytes.CutPrefix(line, []byte("wchar: ")); ok {
			n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("/proc/self/io has no wchar line")
	return 0
}

// cpuTime returns the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
