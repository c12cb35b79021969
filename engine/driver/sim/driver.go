package sim

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/novacron/novacron/engine/driver"
)

var _ driver.Driver = (*Driver)(nil)

// Driver is an open simulated cluster. It is safe for concurrent use; every
// call holds its mutex only to read or change the cluster in memory and to
// queue its journal line (commit.go).
type Driver struct {
	pricer driver.CorePricer // cost_per_core_hour, cost_per_gib_hour
	name   string
	files  files
	faults *faults
	lock   *fileLock
	// createdJournal: Open created the journal (Discard removes it).
	createdJournal bool

	mu      sync.Mutex
	closed  bool
	broken  error    // set when a journal write failed: the journal may end torn
	journal *os.File // opened O_APPEND
	c       *cluster
	g       group     // mutations applied, their lines queued (commit.go)
	written sync.Cond // on mu: broadcast when a group write ends
	spare   []byte    // the buffer of the last group written, for the next
	// spareUndo is the undo list of the last group written, for the next.
	spareUndo []undoRecord
	// lastTags is the copy of tags the last create made (copyTags).
	lastTags map[string]string
	// lastTemplate is the template ID the last create made (templateID).
	lastTemplate templateMemo
	// notes are what Close did that the user should hear of (Notes).
	notes []string
}

// files are the paths of one provider's files in the data folder: the
// compact snapshot, the JSON file that names it (or, from older NovaCron
// versions, holds the cluster), the journal and the lock.
type files struct{ snapshot, legacy, journal, lock string }

func filesFor(dir, name string) files {
	base := filepath.Join(dir, "sim-"+name)
	return files{snapshot: base + ".snap", legacy: base + ".json", journal: base + ".journal", lock: base + ".lock"}
}

// Open opens the simulated cluster req.Name in req.DataDir, creating it on
// first use, and holds its lock until Close. It waits for a lock another
// process holds until ctx is done.
func Open(ctx context.Context, req driver.OpenRequest) (*Driver, error) {
	cfg, err := checkRequest(req)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(req.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the data folder of the simulated provider %q: %w", req.Name, err)
	}
	paths := filesFor(req.DataDir, req.Name)
	lock, err := acquireLock(ctx, req.Name, paths.lock)
	if err != nil {
		return nil, err
	}
	_, err = os.Lstat(paths.journal)
	created := errors.Is(err, os.ErrNotExist)
	c, journal, err := openCluster(paths, cfg.hosts)
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("opening the simulated provider %q: %w", req.Name, err)
	}
	d := &Driver{pricer: driver.CorePricerOf(req.Config), name: req.Name, files: paths, faults: newFaults(cfg), lock: lock, journal: journal, c: c, createdJournal: created}
	d.written.L = &d.mu
	return d, nil
}

// checkRequest checks the parts of req Open relies on and resolves its config.
func checkRequest(req driver.OpenRequest) (config, error) {
	if !validName.MatchString(req.Name) {
		return config{}, fmt.Errorf("the simulated provider's name %q must be letters, digits, '_' and '-'", req.Name)
	}
	if req.DataDir == "" {
		return config{}, fmt.Errorf("the simulated provider %q needs a data folder to keep its cluster in", req.Name)
	}
	return resolveConfig(req.Config)
}

// openCluster loads the snapshot, replays the journal and brings the hosts
// in line with the config. It returns the journal open for appending.
func openCluster(paths files, hosts []driver.Host) (*cluster, *os.File, error) {
	removeTempSnapshots(paths)
	c, err := loadSnapshot(paths)
	if err != nil {
		return nil, nil, err
	}
	journal, err := os.OpenFile(paths.journal, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, err
	}
	if err = replayJournal(journal, c); err == nil {
		err = reconcileHosts(c, hosts, journal)
	}
	if err != nil {
		journal.Close()
		return nil, nil, err
	}
	return c, journal, nil
}

// Capabilities reports that the sim can do everything online.
func (d *Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{
		HotAddCPU:      true,
		HotAddMemory:   true,
		OnlineDiskGrow: true,
		Migrate:        true,
		LiveMigrate:    true,
	}
}

// Close writes a new snapshot if the cluster changed, removes the journal
// it replaces and releases the lock. Calls after the first do nothing.
func (d *Driver) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	_ = d.waitWritten(d.g.queued) // what is queued is written, or undone
	d.closed = true               // from here on no call reads or changes d.c
	d.mu.Unlock()

	var err error
	if d.c.unsaved {
		err = saveSnapshot(d.files, d.c)
		if err == nil && d.c.legacy {
			d.noteMoved()
		}
	}
	errs := []error{err, d.journal.Close()}
	if err == nil {
		errs = append(errs, os.Remove(d.files.journal))
	}
	errs = append(errs, d.lock.release())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("closing the simulated provider %q: %w", d.name, err)
	}
	return nil
}

var _ driver.Discarder = (*Driver)(nil)

// Discard releases the lock like Close, but writes no snapshot and leaves
// the journal as it is (removing it only when Open created it and nothing
// was written to it): the command that opened the cluster was refused.
// It must be called before any mutation; calls after the first, or after
// Close, do nothing.
func (d *Driver) Discard() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	_ = d.waitWritten(d.g.queued)
	d.closed = true
	d.mu.Unlock()

	errs := []error{d.journal.Close()}
	if d.createdJournal {
		if fi, err := os.Stat(d.files.journal); err == nil && fi.Size() == 0 {
			errs = append(errs, os.Remove(d.files.journal))
		}
	}
	errs = append(errs, d.lock.release())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("closing the simulated provider %q: %w", d.name, err)
	}
	return nil
}

// usable returns an error once the driver is closed; the caller holds d.mu.
func (d *Driver) usable() error {
	if d.closed {
		return driver.Errorf(driver.KindPermanent, "the simulated provider %q is closed", d.name)
	}
	return nil
}
