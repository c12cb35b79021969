package spec

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// sourceBase is the folder a module block's source is relative to: the
// calling module's folder, or Options.ModuleRoot for the root module when
// it is set (an uploaded spec's modules are the workspace's).
func (d *decoder) sourceBase() string {
	if d.mod == nil && d.opts.ModuleRoot != "" {
		return d.opts.ModuleRoot
	}
	return d.spec.Dir
}

// confined reports whether dir, the folder a's source names, stays inside
// Options.ModuleRoot, as written and with symlinks resolved; true when no
// root is set. The diagnostic names neither folder's path: the server's
// folders are not the uploader's business, nor is whether a path outside
// exists.
func (d *decoder) confined(a *hcl.Attribute, dir string) bool {
	if d.opts.ModuleRoot == "" {
		return true
	}
	inside := within(absDir(d.opts.ModuleRoot), absDir(dir))
	if inside {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			inside = within(cleanDir(d.opts.ModuleRoot), absDir(real))
		}
	}
	if !inside {
		d.errorf(a.Expr.Range().Ptr(), "Module source outside the workspace",
			"This source leads outside the workspace's folder (symlinks followed). A spec uploaded to nova-plan serve may call only modules inside its workspace's folder on the server, "+
				"relative to that folder: source = \"./modules/NAME\" is the folder modules/NAME of the workspace.")
		return false
	}
	return true
}

func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return filepath.Clean(abs)
	}
	return filepath.Clean(dir)
}

// within reports whether path is root or inside it.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(os.PathSeparator)) && !filepath.IsAbs(rel)
}
