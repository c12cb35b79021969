package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
	"github.com/novacron/novacron/state/pg"
)

// OpenBackend opens the backend cfg names: the one place that knows the
// backend types. dataDir is the spec folder's .nova folder; the local
// backend keeps its workspaces there unless its path setting (relative to
// the spec folder) says otherwise. cfg's settings are known to be valid
// names for its type (ResolveBackend checks them). The backend seals what
// it stores with sealer, and opens sealed documents with it; nil stores
// plaintext (and a sealed document is state.ErrNoKey). An error may quote
// a connection string: callers pass it through a Redactor.
func OpenBackend(ctx context.Context, cfg *spec.BackendConfig, dataDir string, sealer state.Sealer) (state.Backend, error) {
	switch cfg.Type {
	case "local":
		return local.NewBackend(localPath(cfg, dataDir), local.WithSealer(sealer)), nil
	case "pg":
		c, err := pg.ConfigFrom(cfg.Settings)
		if err != nil {
			return nil, err
		}
		c.Sealer = sealer
		return pg.Open(ctx, c)
	}
	return nil, fmt.Errorf("there is no backend %q; the backend types are %v", cfg.Type, spec.BackendTypes())
}

// OpenSource opens a backend that is only read from (the old backend of
// state migrate): one that does not exist is an error, and nothing is
// created for it — no folder, no schema.
func OpenSource(ctx context.Context, cfg *spec.BackendConfig, dataDir string, sealer state.Sealer) (state.Backend, error) {
	switch cfg.Type {
	case "local":
		dir := localPath(cfg, dataDir)
		fi, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("the folder %s does not exist: give the folder that holds the old state with -from-config=path=…", dir)
		case err != nil:
			return nil, err
		case !fi.IsDir():
			return nil, fmt.Errorf("%s is not a folder: give the folder that holds the old state with -from-config=path=…", dir)
		}
	case "pg":
		c, err := pg.ConfigFrom(cfg.Settings)
		if err != nil {
			return nil, err
		}
		found, err := pg.SchemaExists(ctx, c)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, fmt.Errorf("the schema %q does not exist in that database: give the old backend's schema with -from-config=schema=…", c.Schema)
		}
	}
	return OpenBackend(ctx, cfg, dataDir, sealer)
}

// LockWait is the deadline a Lock is given when the user allows timeout
// (-lock-timeout): 0 tries once. Every backend connects, if it must,
// under a timeout of its own, so the deadline bounds only the wait for a
// lock another run holds.
func LockWait(timeout time.Duration) time.Duration { return max(timeout, time.Millisecond) }

// localPath is the folder of a local backend.
func localPath(cfg *spec.BackendConfig, dataDir string) string {
	p := cfg.Settings["path"]
	switch {
	case p == "":
		return dataDir
	case filepath.IsAbs(p):
		return p
	}
	return filepath.Join(filepath.Dir(dataDir), p)
}

// RemovalHint tells the user how to remove a backend's state once it has
// been migrated elsewhere.
func RemovalHint(cfg *spec.BackendConfig, dataDir string) string {
	switch cfg.Type {
	case "local":
		dir := localPath(cfg, dataDir)
		if dir != dataDir && !holdsSpec(dir, filepath.Dir(dataDir)) {
			return fmt.Sprintf("delete the folder %s.", dir)
		}
		if dir != dataDir {
			return fmt.Sprintf("delete the state files in %s (state.json, state.journal if any, state.lock, history.jsonl and the workspaces folder), and nothing else: it holds the spec.", dir)
		}
		return fmt.Sprintf("delete the state files in %s (state.json, state.journal if any, state.lock, history.jsonl and the workspaces folder), keeping %s and the providers' files.",
			dataDir, filepath.Join(dataDir, EnvironmentFile))
	case "pg":
		return fmt.Sprintf("drop the old schema (DROP SCHEMA %s CASCADE) once no other spec uses it.", pgIdent(cfg.Settings["schema"]))
	}
	return "remove it with the tools of its type."
}

// holdsSpec reports whether dir is the spec folder or a folder above it.
func holdsSpec(dir, specDir string) bool {
	d, err1 := filepath.Abs(dir)
	s, err2 := filepath.Abs(specDir)
	if err1 != nil || err2 != nil {
		return true
	}
	rel, err := filepath.Rel(d, s)
	return err == nil && (rel == "." || !strings.HasPrefix(rel, ".."))
}

// pgIdent quotes a schema name for the hint's SQL, as PostgreSQL would
// need it written.
func pgIdent(name string) string {
	if name == "" {
		return "SCHEMA_NAME"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
