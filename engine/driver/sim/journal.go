package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/novacron/novacron/engine/driver"
)

// The operations of journal entries.
const (
	opPut    = "put"    // store VM, replacing the VM with its ID
	opDelete = "delete" // remove the VM with ID
	opHosts  = "hosts"  // replace the host list
)

// entry is one line of the journal: one mutation, applied in file order.
// Entries carry whole VMs rather than deltas, so replaying a journal onto a
// snapshot that already holds its effects changes nothing.
type entry struct {
	Op     string       `json:"op"`
	VM     *vmRecord    `json:"vm,omitempty"`
	ID     string       `json:"id,omitempty"`
	Hosts  []hostRecord `json:"hosts,omitempty"`
	LastID int64        `json:"last_id,omitempty"` // set by creates
}

// hostRecord is a host as snapshots and journals store it.
type hostRecord struct {
	Name      string            `json:"name"`
	CPU       int               `json:"cpu"`
	MemoryMiB int64             `json:"memory_mib"`
	DiskGiB   int64             `json:"disk_gib,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
}

func toHostRecords(hosts []driver.Host) []hostRecord {
	out := make([]hostRecord, len(hosts))
	for i, h := range hosts {
		out[i] = hostRecord{Name: h.Name, CPU: h.CPU, MemoryMiB: h.MemoryMiB, DiskGiB: h.DiskGiB, Labels: h.Labels}
	}
	return out
}

func fromHostRecords(recs []hostRecord) []driver.Host {
	out := make([]driver.Host, len(recs))
	for i, r := range recs {
		out[i] = driver.Host{Name: r.Name, CPU: r.CPU, MemoryMiB: r.MemoryMiB, DiskGiB: r.DiskGiB, Labels: r.Labels}
	}
	return out
}

// apply makes the mutation e on c.
func (c *cluster) apply(e entry) error {
	switch e.Op {
	case opPut:
		if e.VM == nil || e.VM.ID == "" {
			return fmt.Errorf("put entry without a VM")
		}
		c.put(e.VM)
	case opDelete:
		c.remove(e.ID)
	case opHosts:
		c.setHosts(fromHostRecords(e.Hosts))
	default:
		return fmt.Errorf("unknown operation %q", e.Op)
	}
	c.lastID = max(c.lastID, e.LastID)
	c.unsaved = true
	return nil
}

// appendEntry writes e to the journal as one line with a single write(2),
// so that once it returns the entry survives the death of the process.
func appendEntry(f *os.File, e entry) error {
	_, err := f.Write(append(e.appendJSON(nil), '\n'))
	return err
}

// replayJournal applies every complete line of the journal f to c and cuts
// off a torn last line (one without its newline, left by a crash) so that
// later appends start on a line of their own.
func replayJournal(f *os.File, c *cluster) error {
	data, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("reading journal %s: %w", f.Name(), err)
	}
	good := 0
	for n := 1; ; n++ {
		i := bytes.IndexByte(data[good:], '\n')
		if i < 0 {
			break
		}
		if err := applyLine(c, data[good:good+i]); err != nil {
			return fmt.Errorf("journal %s, line %d: %w", f.Name(), n, err)
		}
		good += i + 1
	}
	if good < len(data) {
		return f.Truncate(int64(good))
	}
	return nil
}

// applyLine applies one journal line; blank lines are skipped.
func applyLine(c *cluster, line []byte) error {
	if len(bytes.TrimSpace(line)) == 0 {
		return nil
	}
	e, err := decodeEntry(line)
	if err != nil {
		return err
	}
	return c.apply(e)
}

// decodeEntry reads one journal line, as appendJSON or, in journals of
// older NovaCron versions, encoding/json wrote it.
func decodeEntry(line []byte) (entry, error) {
	var e entry
	err := json.Unmarshal(line, &e)
	return e, err
}
