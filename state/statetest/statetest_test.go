package statetest_test

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
	"github.com/novacron/novacron/state/statetest"
)

// The suites are tested the way a test of tests must be: they pass a
// correct backend (state/local), and fail each of a set of mutants, a
// backend broken in one way on purpose. A mutant runs in a child process,
// since a failing suite fails the test that runs it.

// mutantEnv names the mutant TestSuites runs against in a child process.
const mutantEnv = "NOVACRON_STATETEST_MUTANT"

// TestSuites runs both suites against state/local, or in a child process
// against the mutant mutantEnv names.
func TestSuites(t *testing.T) {
	kind := os.Getenv(mutantEnv)
	newBackend := func(t *testing.T) state.Backend {
		b := local.NewBackend(t.TempDir())
		t.Cleanup(func() { b.Close() })
		if kind == "" {
			return b
		}
		return mutantBackend{Backend: b, kind: kind}
	}
	t.Run("Store", func(t *testing.T) {
		statetest.Run(t, func(t *testing.T) state.Store {
			s, err := newBackend(t).Store(t.Context(), state.DefaultWorkspace)
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	t.Run("Backend", func(t *testing.T) { statetest.RunBackend(t, newBackend) })
}

func TestSuitesCatchMutants(t *testing.T) {
	if os.Getenv(mutantEnv) != "" {
		t.Fatal("mutant child ran the wrong test")
	}
	tests := []struct{ mutant, failingCase string }{
		{"write-ignores-rule", "Store/StaleSerialRefused"},
		{"write-ignores-rule", "Store/OtherLineageRefused"},
		{"overwrite-keeps-rule", "Store/OverwriteBypasses"},
		{"unsorted", "Backend/CreateListDelete"},
		{"one-store", "Backend/WorkspacesIsolated"},
		{"delete-forces", "Backend/DeleteRefusesManaged"},
		{"no-locks", "Backend/Locks"},
	}
	for _, tt := range tests {
		t.Run(tt.mutant+"/"+tt.failingCase, func(t *testing.T) {
			run := "^TestSuites$/^" + strings.ReplaceAll(tt.failingCase, "/", "$/^") + "$"
			cmd := exec.Command(os.Args[0], "-test.run="+run, "-test.v")
			cmd.Env = append(os.Environ(), mutantEnv+"="+tt.mutant)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suites passed mutant %s:\n%s", tt.mutant, out)
			}
			if want := "--- FAIL: TestSuites/" + tt.failingCase + " "; !strings.Contains(string(out), want) {
				t.Errorf("case %s did not fail for mutant %s:\n%s", tt.failingCase, tt.mutant, out)
			}
		})
	}
}

// mutantBackend is a correct backend broken in the one way kind names.
type mutantBackend struct {
	state.Backend
	kind string
}

func (m mutantBackend) Workspaces(ctx context.Context) ([]string, error) {
	names, err := m.Backend.Workspaces(ctx)
	if m.kind == "unsorted" {
		slices.Reverse(names)
	}
	return names, err
}

func (m mutantBackend) Store(ctx context.Context, name string) (state.Store, error) {
	if m.kind == "one-store" {
		if _, err := m.Backend.Store(ctx, name); err != nil {
			return nil, err
		}
		name = state.DefaultWorkspace
	}
	s, err := m.Backend.Store(ctx, name)
	if err != nil {
		return nil, err
	}
	return mutantStore{Store: s, kind: m.kind}, nil
}

func (m mutantBackend) DeleteWorkspace(ctx context.Context, name string, force bool) error {
	return m.Backend.DeleteWorkspace(ctx, name, force || m.kind == "delete-forces")
}

func (m mutantBackend) Locks(ctx context.Context) ([]state.LockInfo, error) {
	locks, err := m.Backend.Locks(ctx)
	if m.kind == "no-locks" {
		return nil, err
	}
	return locks, err
}

// mutantStore is a correct store broken in the one way kind names.
type mutantStore struct {
	state.Store
	kind string
}

func (m mutantStore) Write(ctx context.Context, s *state.State) error {
	if m.kind == "write-ignores-rule" {
		return m.Store.Overwrite(ctx, s)
	}
	return m.Store.Write(ctx, s)
}

func (m mutantStore) Overwrite(ctx context.Context, s *state.State) error {
	if m.kind == "overwrite-keeps-rule" {
		return m.Store.Write(ctx, s)
	}
	return m.Store.Overwrite(ctx, s)
}
