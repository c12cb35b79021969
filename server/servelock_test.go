package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/server"
)

// TestNestedServersRefused: a server of a folder and a server of one of
// its workspace folders cannot run at once, whichever starts first.
func TestNestedServersRefused(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "examples", "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, ws := range []string{"web", "db"} {
		if err := os.MkdirAll(filepath.Join(root, ws), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, ws, "main.nova.hcl"), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	inner := filepath.Join(root, "web")
	for _, order := range [][2]string{{root, inner}, {inner, root}} {
		first, err := server.Open(ctx, order[0], server.Options{})
		if err != nil {
			t.Fatalf("serving %s: %v", order[0], err)
		}
		second, err := server.Open(ctx, order[1], server.Options{})
		if err == nil {
			second.Close()
			t.Errorf("serving %s while %s is served: no error", order[1], order[0])
		} else if !strings.Contains(err.Error(), "another nova-plan serve serves this folder") {
			t.Errorf("serving %s while %s is served: %v, want it to name the other server", order[1], order[0], err)
		}
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// Both released: each starts alone again.
	for _, dir := range []string{root, inner} {
		inst, err := server.Open(ctx, dir, server.Options{})
		if err != nil {
			t.Fatalf("serving %s after the others stopped: %v", dir, err)
		}
		inst.Close()
	}
}
