package sim

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ReadSnapshotJSON returns the cluster of the simulated provider name kept
// in the data folder dir, its journal replayed, as a JSON snapshot of
// format version 1: {"version":1,"last_id":…,"hosts":[…],"vms":[…]}, each VM
// with the fields id, name, host, cpu, memory_mib, disk_gb, power, template,
// tags and marker. It is for tests and people who look into a cluster, and
// fails while another process has the cluster open.
func ReadSnapshotJSON(dir, name string) ([]byte, error) {
	var data []byte
	err := withLock(dir, name, func(paths files) error {
		c, err := loadSnapshot(paths)
		if err != nil {
			return err
		}
		if err := replayIfAny(paths.journal, c); err != nil {
			return err
		}
		data, err = encodeJSON(c)
		return err
	})
	return data, err
}

// WriteSnapshotJSON replaces the cluster of the simulated provider name
// kept in dir with data, a JSON snapshot of format version 1 as
// ReadSnapshotJSON returns it. It fails while another process has the
// cluster open.
func WriteSnapshotJSON(dir, name string, data []byte) error {
	return withLock(dir, name, func(paths files) error {
		c, err := decodeJSON(data)
		if err != nil {
			return err
		}
		if err := saveSnapshot(paths, c); err != nil {
			return err
		}
		if err := os.Remove(paths.journal); !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
}

// withLock runs fn on the files of the provider name in dir while it holds
// their lock, failing at once when another process holds it.
func withLock(dir, name string, fn func(files) error) error {
	paths := filesFor(dir, name)
	lock, err := tryLock(paths.lock)
	if err == nil && lock == nil {
		err = fmt.Errorf("another process has it open")
	}
	if err == nil {
		err = fn(paths)
		err = errors.Join(err, lock.release())
	}
	if err != nil {
		return fmt.Errorf("the snapshot of the simulated provider %q in %s: %w", name, dir, err)
	}
	return nil
}

// replayIfAny replays the journal at path onto c, if there is one.
func replayIfAny(path string, c *cluster) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return errors.Join(replayJournal(f, c), f.Close())
}
