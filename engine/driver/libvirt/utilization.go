package libvirt

import (
	"context"
	"errors"
	"sync"
	"time"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

var _ driver.UtilizationReader = (*Driver)(nil)

// utilizationWindow is how long Utilization watches the domains' cpu time:
// the cores a domain used are its cpu.time delta over this window.
const utilizationWindow = time.Second

// Utilization measures every running domain of every host, reading the
// hosts at once: two bulk statistics calls per host (cpu.time, then again
// after utilizationWindow) give the cores used; memory is what the guest
// uses by its balloon driver (balloon.available − balloon.unused) or,
// without one, QEMU's resident memory (balloon.rss).
func (d *Driver) Utilization(ctx context.Context) (map[string]driver.Usage, error) {
	out := make([]map[string]driver.Usage, len(d.hosts))
	errs := make([]error, len(d.hosts))
	var wg sync.WaitGroup
	for i, h := range d.hosts {
		wg.Go(func() { out[i], errs[i] = d.hostUtilization(ctx, h) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	all := map[string]driver.Usage{}
	for _, m := range out {
		for id, u := range m {
			all[id] = u
		}
	}
	return all, nil
}

type domainSample struct {
	cpuNS uint64
	mem   float64 // MiB; 0 when unknown
	at    time.Time
}

func (d *Driver) hostUtilization(ctx context.Context, h *host) (map[string]driver.Usage, error) {
	l, err := h.conn()
	if err != nil {
		return nil, err
	}
	first, err := domainSamples(l, h)
	if err != nil {
		return nil, err
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(utilizationWindow):
	}
	second, err := domainSamples(l, h)
	if err != nil {
		return nil, err
	}
	out := map[string]driver.Usage{}
	for id, b := range second {
		a, ok := first[id]
		if !ok || b.cpuNS < a.cpuNS || b.mem == 0 {
			continue // started or restarted in the window, or no memory figure
		}
		wall := b.at.Sub(a.at).Nanoseconds()
		out[id] = driver.Usage{CPU: float64(b.cpuNS-a.cpuNS) / float64(max(wall, 1)), MemoryMiB: b.mem}
	}
	return out, nil
}

// domainSamples reads the cpu and balloon statistics of a host's running
// domains in one call.
func domainSamples(l *lv.Libvirt, h *host) (map[string]domainSample, error) {
	stats, err := l.ConnectGetAllDomainStats(nil, uint32(lv.DomainStatsCPUTotal|lv.DomainStatsBalloon),
		uint32(lv.ConnectGetAllDomainsStatsActive|lv.ConnectGetAllDomainsStatsNowait))
	if err != nil {
		return nil, fail(err, "reading the domain statistics of host %s", h)
	}
	now := time.Now()
	out := make(map[string]domainSample, len(stats))
	for _, rec := range stats {
		out[formatUUID(rec.Dom.UUID)] = sampleOf(rec.Params, now)
	}
	return out, nil
}

// sampleOf reads cpu.time (ns) and the balloon figures (KiB).
func sampleOf(params []lv.TypedParam, at time.Time) domainSample {
	s := domainSample{at: at}
	kib := map[string]uint64{}
	for _, p := range params {
		v, ok := p.Value.I.(uint64)
		if !ok {
			continue
		}
		if p.Field == "cpu.time" {
			s.cpuNS = v
		} else {
			kib[p.Field] = v
		}
	}
	avail, unused := kib["balloon.available"], kib["balloon.unused"]
	switch {
	case avail > 0 && unused <= avail:
		s.mem = float64(avail-unused) / 1024
	case kib["balloon.rss"] > 0:
		s.mem = float64(kib["balloon.rss"]) / 1024
	}
	return s
}
