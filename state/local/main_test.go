package local_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// helperEnv, when set to a directory, turns the test binary into a lock
// holder (see runLockHolder) instead of running the tests.
const helperEnv = "NOVA_LOCAL_TEST_LOCK_HOLDER"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		os.Exit(runLockHolder(dir))
	}
	os.Exit(m.Run())
}

// runLockHolder takes the lock in dir, prints "locked" and holds it until
// its stdin closes (or it is killed).
func runLockHolder(dir string) int {
	info := state.LockInfo{Operation: "apply", Who: "child@test"}
	if _, err := local.New(dir).Lock(context.Background(), info); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	return 0
}
