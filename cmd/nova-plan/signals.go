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

// interrupts handles Ctrl-C. For an apply (graceful), the first closes stop
// (finish what is in flight, save state, exit non-zero) and the second
// cancels ctx (abort); otherwise the first cancels ctx. done stops
// listening and waits for the listener.
func interrupts(u *ui, graceful bool) (ctx context.Context, stop <-chan struct{}, done func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	stopCh, quit := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		select {
		case <-sigs:
			if !graceful {
				fmt.Fprintln(u.err, "\nInterrupt received: stopping.")
				cancel()
				return
			}
			fmt.Fprintln(u.err, "\nInterrupt received: no new actions will start. Waiting for the actions in flight to finish and saving state; interrupt again to abort them.")
			close(stopCh)
		case <-quit:
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(u.err, "\nTwo interrupts received: aborting the actions in flight.")
			cancel()
		case <-quit:
		}
	})
	return ctx, stopCh, func() {
		signal.Stop(sigs)
		close(quit)
		wg.Wait()
		cancel()
	}
}

func warning(summary, detail string) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: summary, Detail: detail}}
}
