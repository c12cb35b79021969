package sim

import (
	"fmt"
	"math"
	"strconv"

	"github.com/novacron/novacron/engine/driver"
)

// place returns the host a new VM of cpu and mem goes on: the named one if
// it has room, or for an empty name the best-fitting host.
func (c *cluster) place(name string, cpu int, mem int64) (*host, error) {
	if name == "" {
		return c.bestFit(cpu, mem)
	}
	h, err := c.lookupHost(name)
	if err != nil {
		return nil, err
	}
	if !h.fits(cpu, mem) {
		return nil, capacityError(h, cpu, mem, "")
	}
	return h, nil
}

// bestFit returns the host with room for cpu and mem that has the least
// room left after placing them (relative to its size), so large holes stay
// free for large VMs; ties go to the first host in config order.
func (c *cluster) bestFit(cpu int, mem int64) (*host, error) {
	var best, roomiest *host
	bestScore := 0.0
	for _, h := range c.hosts {
		if roomiest == nil || roomier(h, roomiest) {
			roomiest = h
		}
		if !h.fits(cpu, mem) {
			continue
		}
		score := float64(h.freeCPU()-cpu)/float64(h.CPU) + float64(h.freeMem()-mem)/float64(h.MemoryMiB)
		if best == nil || score < bestScore {
			best, bestScore = h, score
		}
	}
	if best != nil {
		return best, nil
	}
	if roomiest == nil {
		return nil, driver.Errorf(driver.KindCapacity, "insufficient capacity: the simulated cluster has no hosts")
	}
	return nil, driver.Errorf(driver.KindCapacity,
		"insufficient capacity on every host: needs %d vCPU and %s GiB, the roomiest host %s has %s",
		cpu, formatGiB(mem), roomiest.Name, describeFree(roomiest))
}

// roomier orders hosts by free vCPU, then free memory.
func roomier(a, b *host) bool {
	if a.freeCPU() != b.freeCPU() {
		return a.freeCPU() > b.freeCPU()
	}
	return a.freeMem() > b.freeMem()
}

// capacityError says that cpu and mem (more, when grow names what grows) do
// not fit on h.
func capacityError(h *host, cpu int, mem int64, grow string) error {
	more := ""
	if grow != "" {
		grow, more = " to grow "+grow, " more"
	}
	return driver.Errorf(driver.KindCapacity,
		"insufficient capacity on %s%s: needs %d%s vCPU and %s%s GiB, has %s",
		h.Name, grow, cpu, more, formatGiB(mem), more, describeFree(h))
}

// describeFree says what is free on h, never less than nothing.
func describeFree(h *host) string {
	return fmt.Sprintf("%d vCPU and %s GiB free", max(0, h.freeCPU()), formatGiB(max(0, h.freeMem())))
}

// formatGiB renders MiB as GiB with at most two decimals: "16", "0.5", "0.98".
func formatGiB(mib int64) string {
	if mib%1024 == 0 {
		return strconv.FormatInt(mib/1024, 10)
	}
	return strconv.FormatFloat(math.Round(float64(mib)/1024*100)/100, 'f', -1, 64)
}
