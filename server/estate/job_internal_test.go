package estate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/operation"
)

// A run that panics fails, without the panic's text, and gives its
// workspace back: the next run on it goes ahead.
func TestRunPanics(t *testing.T) {
	root := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "qs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "qs", "main.nova.hcl"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := Open(context.Background(), root, Options{LockTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s := e.spaces["qs"]
	r, err := e.start(&job{space: s, who: "t", op: "apply", prepare: func(context.Context, *session) (*operation.Planned, error) {
		panic("secret-value")
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := e.GetRun(context.Background(), r.ID, time.Minute)
	if got.Status != RunFailed || !strings.Contains(got.Error, "internal error") || strings.Contains(got.Error, "secret-value") {
		t.Errorf("run after a panic: %+v", got)
	}
	if err := e.Refresh(context.Background(), "qs"); err != nil {
		t.Errorf("the workspace after a panicking run: %v", err)
	}
}
