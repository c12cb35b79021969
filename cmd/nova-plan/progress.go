package main

import (
	"bufio"
	"fmt"
	"sync"
	"time"

	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
)

// progress shows an apply: on a terminal a status line (done/total,
// elapsed, ETA) drawn at once, redrawn at most ten times a second as
// changes finish and every half second while none does, with failures
// printed above it; otherwise one plain line per finished change, written
// out together at most flushEvery apart (a line each would cost a
// 100,000-VM apply 100,000 writes).
type progress struct {
	u     *ui
	tty   bool
	total int
	start time.Time
	mu    sync.Mutex
	drawn time.Time
	done  int
	lines *bufio.Writer // the plain lines not written out yet (not a terminal)
	// stop ends the ticker goroutine, which finish waits for.
	stop   chan struct{}
	ticker sync.WaitGroup
}

// tickEvery is how often the status line is redrawn while no change
// finishes, so the elapsed time moves; flushEvery how often plain lines
// are written out.
const (
	tickEvery  = 500 * time.Millisecond
	flushEvery = 100 * time.Millisecond
)

func newProgress(u *ui, total int) *progress {
	p := &progress{u: u, tty: isTerminal(u.out), total: total, start: time.Now()}
	u.printf("\n")
	every := tickEvery
	if p.tty {
		p.draw()
	} else {
		p.lines, every = bufio.NewWriterSize(u.out, 64<<10), flushEvery
	}
	p.stop = make(chan struct{})
	p.ticker.Go(func() { p.tick(every) })
	return p
}

// tick redraws the status line, or writes out the plain lines, until
// finish; it is the only goroutine of the CLI's own, and finish waits for
// it.
func (p *progress) tick(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.tty {
				p.draw()
			} else {
				p.lines.Flush()
			}
			p.mu.Unlock()
		}
	}
}

var pastTense = map[plan.Action]string{
	plan.Create: "Creation", plan.Update: "Update", plan.Replace: "Replacement", plan.Delete: "Destruction",
	plan.Migrate: "Migration", plan.Start: "Start", plan.Stop: "Stop", plan.Adopt: "Adoption",
	plan.Move: "Move", plan.Forget: "Forget",
}

func (p *progress) event(ev exec.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = ev.Done
	c := ev.Change
	addr := printable(c.Address, false)
	var line string
	switch ev.Kind { // a provider's error is its text: printable, as everything else from outside
	case exec.EventSucceeded:
		line = fmt.Sprintf("%s: %s complete after %s", addr, pastTense[c.Action], ev.Elapsed.Round(time.Millisecond))
	case exec.EventFailed:
		line = p.u.paint(red, fmt.Sprintf("%s: %s failed after %d attempt(s): %s", addr, c.Action, ev.Attempt, printable(fmt.Sprint(ev.Err), false)))
	case exec.EventRetrying:
		line = p.u.paint(yellow, fmt.Sprintf("%s: retrying %s (attempt %d): %s", addr, c.Action, ev.Attempt, printable(fmt.Sprint(ev.Err), false)))
	case exec.EventSkipped:
		line = fmt.Sprintf("%s: %s skipped: %s", addr, c.Action, printable(ev.Reason, false))
	default:
		return
	}
	if !p.tty {
		fmt.Fprintf(p.lines, "%s [%d/%d]\n", line, ev.Done, ev.Total)
		return
	}
	if ev.Kind != exec.EventSucceeded {
		fmt.Fprintf(p.u.out, "\r\x1b[K%s\n", line)
	}
	if ev.Kind != exec.EventSucceeded || time.Since(p.drawn) > 100*time.Millisecond {
		p.draw()
	}
}

func (p *progress) draw() {
	p.drawn = time.Now()
	elapsed := time.Since(p.start)
	eta := "?"
	if p.done > 0 {
		eta = (elapsed * time.Duration(p.total-p.done) / time.Duration(p.done)).Round(time.Second).String()
	}
	fmt.Fprintf(p.u.out, "\r\x1b[K[%d/%d] %d%%  elapsed %s  ETA %s", p.done, p.total,
		100*p.done/max(p.total, 1), elapsed.Round(100*time.Millisecond), eta)
}

func (p *progress) finish() {
	if p.stop != nil {
		close(p.stop)
		p.ticker.Wait()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		p.draw()
		fmt.Fprintln(p.u.out)
	} else {
		p.lines.Flush()
	}
}
