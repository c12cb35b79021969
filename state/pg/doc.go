// Package pg is the PostgreSQL state backend: a spec's workspaces in one
// schema of a database that many runners share (github.com/jackc/pgx/v5).
//
//	b, err := pg.Open(ctx, pg.Config{ConnString: "postgres://nova@db:5432/ops", Schema: "ops"})
//	s, err := b.Store(ctx, state.DefaultWorkspace)
//
// Open creates the schema's tables on first use and upgrades them with
// versioned migrations (migrate.go; the migrations table records which ran),
// under a transaction-level advisory lock, so concurrent first uses take
// turns. The tables:
//
//	workspaces  one row per workspace: name, lineage, serial, document (bytea), created, updated
//	locks       one row per held lock: workspace, id, operation, who, pid, created, and the
//	            advisory lock key and PostgreSQL session (backend_pid) that hold it
//	history     the audit trail: one row per record, the record as JSON with its kind,
//	            time, run ID and address in columns; a trigger refuses UPDATE
//	changes     the changes written since a workspace's document (state.DeltaStore):
//	            workspace, serial, record (state.EncodeDeltaRecord's line, which names
//	            its lineage, sealed like the document) and the record's CRC-32C
//
// A document is stored as state.Encode writes it, sealed by Config.Sealer
// when one is set, and read with state.OpenStored and state.Decode. Write
// checks the lineage and serial rule and writes in one transaction, the
// row locked (SELECT … FOR UPDATE) between the two, and refuses to replace
// a sealed document the backend's Sealer cannot open (no key, another
// key); Overwrite skips both. The lineage and serial columns are not
// sealed: they name no VM. Read fetches them with the document and
// refuses a document that disagrees with them, or a missing document at a
// serial above 0 (a *state.MismatchError: the row was changed outside
// NovaCron).
//
// An apply writes its changes as rows (WriteDelta: one row per write,
// the records that changed, in the transaction that checks lineage and
// serial and raises the workspace row's serial, not its document), so a
// write costs the change, not the estate. Read applies the change rows
// above the document's serial in order, all in one statement's snapshot;
// Write, Overwrite and Compact replace the document and delete its change
// rows in one transaction. WriteDelta asks for compaction once the
// changes' bytes exceed the document's. A release that reads the document
// alone sees the row's serial above the document's, and refuses (the
// mismatch above) instead of reading a stale state. The change rows a
// killed run left stay until the next apply's end compacts them or a whole
// write replaces the document; Lock does not touch them.
//
// Locks cannot get stuck. A workspace's lock is a session-level advisory
// lock (pg_advisory_lock of a key hashed from the schema and workspace),
// held on a connection that Lock opens for that lock alone, plus a row in
// the locks table naming holder, operation and time for people. PostgreSQL
// frees the advisory lock when the holder's session ends: its process
// exits or is killed (kill -9 included), its host or network dies (TCP
// keepalives on both ends notice within about 30 s: dial.go), the server
// restarts. A row whose advisory lock is free is stale: Lock replaces it,
// Locks does not list it. Lock waits in pg_advisory_lock, so a lock
// released is handed over at once; when ctx ends it returns a
// *state.LockedError naming the holder from its row.
//
// While a Store holds the lock, its Write, Overwrite and AppendHistory run
// on the lock's connection. When that connection breaks (a network cut, a
// server restart, a force-unlock), PostgreSQL has freed the lock, and
// those calls fail with an error saying the lock was lost instead of
// writing unlocked; the apply stops saving, and the next run takes the
// lock and converges; they keep failing until the lost lock is unlocked
// (Unlock says it was lost) or another is taken. A Store that holds no
// lock writes through the pool: the fencing covers the Store the lock was
// taken through. Backend.Close closes the locks' connections too.
//
// ForceUnlock(id) of a lock whose holder is alive ends the holder's
// PostgreSQL session with pg_terminate_backend (which needs the holder's
// role, membership in pg_signal_backend, or a superuser), then removes the
// row; the holder's next write fails as above.
//
// No message, error or Describe holds the connection string's password:
// connection errors read "cannot connect to PostgreSQL at HOST:PORT as
// USER: …".
//
// It must not decide what the state means (that is the engine's
// business), nor keep copies of documents beyond the one row per
// workspace and the changes written since it.
package pg
