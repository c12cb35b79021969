//go:build !unix

package main

import "errors"

// detach needs a Unix session to leave the simulator running in.
func detach(options) error {
	return errors.New("-detach works on Unix only: run the simulator in a terminal of its own instead")
}
