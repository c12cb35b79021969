package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/hashicorp/hcl/v2"
)

// interrupter handles Ctrl-C (and SIGTERM) for one command, in two phases.
// While the command reads and plans, nothing has changed yet, so an
// interrupt cancels ctx and the command stops at once. Once an apply starts
// changing VMs (applying), the first interrupt closes stop (start nothing
// new, let the actions in flight finish, save state, exit non-zero) and the
// second cancels ctx (abort them).
type interrupter struct {
	ctx    context.Context
	cancel context.CancelFunc
	u      *ui
	sigs   chan os.Signal
	quit   chan struct{}
	wg     sync.WaitGroup

	mu       sync.Mutex
	graceful bool // applying: the first interrupt stops gracefully
	stop     chan struct{}
	stopped  bool
}

// interrupts starts listening; done stops listening and waits for the
// listener.
func interrupts(u *ui) *interrupter {
	i := &interrupter{u: u, sigs: make(chan os.Signal, 2), quit: make(chan struct{}), stop: make(chan struct{})}
	i.ctx, i.cancel = context.WithCancel(context.Background())
	signal.Notify(i.sigs, os.Interrupt, syscall.SIGTERM)
	i.wg.Go(i.listen)
	return i
}

func (i *interrupter) listen() {
	for {
		select {
		case <-i.quit:
			return
		case <-i.sigs:
		}
		if i.received() {
			return
		}
	}
}

// received acts on one interrupt; it returns true once ctx is cancelled,
// when there is nothing more to do.
func (i *interrupter) received() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	switch {
	case !i.graceful:
		fmt.Fprintln(i.u.err, "\nInterrupt received: stopping. Nothing has been changed.")
	case !i.stopped:
		fmt.Fprintln(i.u.err, "\nInterrupt received: no new actions will start. Waiting for the actions in flight to finish and saving state; interrupt again to abort them.")
		i.stopped = true
		close(i.stop)
		return false
	default:
		fmt.Fprintln(i.u.err, "\nTwo interrupts received: aborting the actions in flight.")
	}
	i.cancel()
	return true
}

// applying marks the start of the changes: from now on the first
// interrupt stops gracefully. It returns false when the command was
// interrupted before, and must not start.
func (i *interrupter) applying() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.graceful = true
	return i.ctx.Err() == nil
}

func (i *interrupter) done() {
	signal.Stop(i.sigs)
	close(i.quit)
	i.wg.Wait()
	i.cancel()
}

func warning(summary, detail string) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: summary, Detail: detail}}
}
