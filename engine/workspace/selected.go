package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/novacron/novacron/internal/regularfile"
	"github.com/novacron/novacron/state"
)

// EnvironmentFile, in the spec folder's .nova folder, names the selected
// workspace (Terraform's .terraform/environment). It belongs to the folder,
// not to the backend: two clones of a spec can work in two workspaces of
// one database.
const EnvironmentFile = "environment"

// WorkspaceEnv, when set, selects the workspace instead of
// EnvironmentFile (for CI).
const WorkspaceEnv = "NOVA_WORKSPACE"

// Selection is the selected workspace and where the choice comes from.
type Selection struct {
	Name    string
	FromEnv bool // NOVA_WORKSPACE chose it
}

// Selected returns the selected workspace: NOVA_WORKSPACE, else the one
// EnvironmentFile names, else the default. A name that is not valid is an
// error that says where it comes from.
func Selected(dataDir string, env []string) (Selection, error) {
	if name, ok := envValue(env, WorkspaceEnv); ok && name != "" {
		if err := state.CheckWorkspaceName(name); err != nil {
			return Selection{}, fmt.Errorf("%s: %w", WorkspaceEnv, err)
		}
		return Selection{Name: name, FromEnv: true}, nil
	}
	path := filepath.Join(dataDir, EnvironmentFile)
	data, err := regularfile.Read(path, 1024)
	if errors.Is(err, fs.ErrNotExist) {
		return Selection{Name: state.DefaultWorkspace}, nil
	}
	if err != nil {
		return Selection{}, err
	}
	name := strings.TrimSpace(string(data))
	if err := state.CheckWorkspaceName(name); err != nil {
		return Selection{}, fmt.Errorf("%s: %w; select a workspace with `nova-plan workspace select NAME`", path, err)
	}
	return Selection{Name: name}, nil
}

// Select records name in EnvironmentFile, replacing it atomically.
func Select(dataDir, name string) error {
	if err := state.CheckWorkspaceName(name); err != nil {
		return err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	path := filepath.Join(dataDir, EnvironmentFile)
	tmp, err := writeNew(dataDir, EnvironmentFile+".tmp-*", []byte(name+"\n"))
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
