package pg_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/pg"
	"github.com/novacron/novacron/state/statetest"
)

// base64Sealer stands in for state/encryption: it hides the text (base64)
// behind state.SealedPrefix, which is all the backend may rely on.
type base64Sealer struct{}

func (base64Sealer) Seal(plain []byte) ([]byte, error) {
	return []byte(state.SealedPrefix + `"` + base64.StdEncoding.EncodeToString(plain) + `"}`), nil
}

func (base64Sealer) Open(stored []byte) ([]byte, error) {
	if !state.IsSealed(stored) {
		return stored, nil
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(string(stored), state.SealedPrefix+`"`), `"}`)
	return base64.StdEncoding.DecodeString(inner)
}

// TestSealedDocuments: with a Sealer, the row holds what Seal returned
// (no VM name in it) and Read opens it; a backend without one refuses it
// with state.ErrNoKey.
func TestSealedDocuments(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	b, err := pg.Open(t.Context(), pg.Config{ConnString: conn, Schema: schema, Sealer: base64Sealer{}})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	s := store(t, b, state.DefaultWorkspace)
	want := sample("lin", 1, 3)
	if err := s.Write(t.Context(), want); err != nil {
		t.Fatalf("Write: %v", err)
	}
	wantRead(t, s, want)
	docs := queryStrings(t, conn, "SELECT encode(document, 'escape') FROM "+pgx.Identifier{schema}.Sanitize()+".workspaces WHERE document IS NOT NULL")
	if len(docs) != 1 || !bytes.HasPrefix([]byte(docs[0]), []byte(state.SealedPrefix)) || strings.Contains(docs[0], "web-00000") {
		t.Errorf("stored documents = %q, want one sealed document without the VMs' names", docs)
	}
	plain := store(t, open(t, schema), state.DefaultWorkspace)
	if _, err := plain.Read(t.Context()); !errors.Is(err, state.ErrNoKey) {
		t.Errorf("Read of a sealed document without a Sealer = %v, want state.ErrNoKey", err)
	}
}

// TestSealedEncryption runs statetest.RunSealed against the real server
// with state/encryption's Sealer: the row's document holds no word of the
// state, a wrong key or none is refused with the row unchanged.
func TestSealedEncryption(t *testing.T) {
	conn := pgtest.ConnString(t)
	statetest.RunSealed(t, func(t *testing.T) statetest.SealedWorkspace {
		schema := pgtest.Schema(t)
		return statetest.SealedWorkspace{
			Open: func(s state.Sealer) state.Store {
				b, err := pg.Open(t.Context(), pg.Config{ConnString: conn, Schema: schema, Sealer: s})
				if err != nil {
					t.Fatalf("pg.Open: %v", err)
				}
				t.Cleanup(func() { b.Close() })
				return store(t, b, state.DefaultWorkspace)
			},
			Stored: func() []byte {
				docs := queryStrings(t, conn, "SELECT encode(document, 'escape') FROM "+pgx.Identifier{schema}.Sanitize()+".workspaces WHERE name = $1 AND document IS NOT NULL", state.DefaultWorkspace)
				if len(docs) == 0 {
					return nil
				}
				return []byte(docs[0])
			},
		}
	})
}
