package sim

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// lockPoll is how often Open tries again for a lock another process holds.
const lockPoll = 50 * time.Millisecond

// acquireLock takes the lock file at path for the provider name, trying
// again every lockPoll until ctx is done.
func acquireLock(ctx context.Context, name, path string) (*fileLock, error) {
	for {
		l, err := tryLock(path)
		if err != nil {
			return nil, fmt.Errorf("locking the simulated provider %q with %s: %w", name, path, err)
		}
		if l != nil {
			// Only for the message of a process that waits in vain.
			_ = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
			return l, nil
		}
		select {
		case <-ctx.Done():
			return nil, driver.Errorf(driver.KindTransient,
				"the simulated provider %q is locked by %s: another nova-plan process is using the simulated provider%s; gave up waiting: %w",
				name, path, holder(path), context.Cause(ctx))
		case <-time.After(lockPoll):
		}
	}
}

// holder describes the process that holds the lock file, as it wrote itself.
func holder(path string) string {
	data, err := os.ReadFile(path)
	pid := strings.TrimSpace(string(data))
	if err != nil || pid == "" {
		return ""
	}
	return " (pid " + pid + ")"
}
