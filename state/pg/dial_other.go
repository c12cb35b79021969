//go:build !linux

package pg

import "syscall"

// setUserTimeout does nothing where TCP_USER_TIMEOUT does not exist:
// keepalives alone notice a dead connection there.
func setUserTimeout(string, string, syscall.RawConn) error { return nil }
