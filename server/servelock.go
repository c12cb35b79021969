package server

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/novacron/novacron/engine/workspace"
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
