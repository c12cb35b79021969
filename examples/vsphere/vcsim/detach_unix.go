//go:build unix

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
)

// detach starts the simulator as a process of its own session, in a
// folder it makes, and prints what that process prints when it is ready,
// plus its PID. The process logs to vcsim.log in that folder.
func detach(o options) error {
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return err
	}
	logPath := filepath.Join(dir, "vcsim.log")
	log, err := os.Create(logPath)
	if err != nil {
		os.RemoveAll(dir)
		return err
	}
	defer log.Close()
	self, err := os.Executable()
	if err != nil {
		os.RemoveAll(dir)
		return err
	}
	cmd := exec.Command(self, "-hosts", strconv.Itoa(o.hosts), "-vms", strconv.Itoa(o.vms), "-listen", o.listen, "-dir", dir)
	cmd.Stderr = log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	ready, err := cmd.StdoutPipe()
	if err != nil {
		os.RemoveAll(dir)
		return err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return err
	}
	env, _ := io.ReadAll(ready) // until the process has printed and closed it
	if len(env) == 0 {
		cmd.Wait()
		text, _ := os.ReadFile(logPath)
		os.RemoveAll(dir)
		return errors.Join(errors.New("the simulator did not start"), errors.New(string(text)))
	}
	fmt.Print(string(env))
	fmt.Printf("export NOVACRON_VCSIM_PID=%d\n# stop the simulator with: kill $NOVACRON_VCSIM_PID (its log: %s)\n", cmd.Process.Pid, logPath)
	return cmd.Process.Release()
}
