package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/server/estate"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// ServeLockFile is the file, under the served folder, whose flock the
// server holds while it runs; it names the server's pid, user and host.
const ServeLockFile = ".nova/server/serve.lock"

// holdRoot takes root's serve lock; a folder another server serves is an
// error naming that server.
func holdRoot(root string) (func(), error) {
	path := filepath.Join(root, filepath.FromSlash(ServeLockFile))
	release, err := local.Hold(path, state.LockInfo{Operation: "serve", Who: workspace.Who()})
	var held *state.LockedError
	if errors.As(err, &held) {
		if held.Unnamed != "" {
			return nil, fmt.Errorf("another program holds the serve lock %s (%s); if no nova-plan serve runs here, remove it", path, held.Unnamed)
		}
		h := held.Holder
		return nil, fmt.Errorf("another nova-plan serve serves this folder: %s, pid %d, since %s (it holds %s); stop it first, or serve another folder",
			h.Who, h.PID, h.Created.Format(time.RFC3339), path)
	}
	return release, err
}

// holdWorkspaces takes the serve lock of every workspace folder of est
// other than root, so a server of one of them (`serve -chdir=root/web`
// beside `serve -chdir=root`, started before or after) is refused too: two
// servers would each make their own users and edit one API file.
func holdWorkspaces(ctx context.Context, root string, est *estate.Estate) (func(), error) {
	infos, err := est.Workspaces(ctx)
	if err != nil {
		return nil, err
	}
	var releases []func()
	release := func() {
		for _, r := range releases {
			r()
		}
	}
	for _, w := range infos {
		if w.Dir == "" || sameDir(w.Dir, root) {
			continue
		}
		r, err := holdRoot(w.Dir)
		if err != nil {
			release()
			return nil, fmt.Errorf("workspace %s: %w", w.Name, err)
		}
		releases = append(releases, r)
	}
	return release, nil
}

// sameDir reports whether a and b name one folder.
func sameDir(a, b string) bool {
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ia, ib)
}
