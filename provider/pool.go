package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/novacron/novacron/engine/driver"
)

// pool holds the drivers open in this process, one per backend (data folder,
// type and name). Terraform starts one provider process per command and
// calls its resources concurrently; every call of every provider instance in
// the process shares the backend's one driver, opened on first use. (The
// acceptance tests serve a new provider instance for each terraform command
// in one process, so the pool is process-wide, not per instance.)
type pool struct {
	mu   sync.Mutex
	open map[string]*pooled
}

type pooled struct {
	d           driver.Driver
	fingerprint string // the settings it was opened with
}

// drivers is the process's pool.
var drivers = &pool{open: map[string]*pooled{}}

func poolKey(b *backend) string { return b.dataDir + "\x00" + b.key() }

// get returns the backend's driver, opening it on first use. A backend
// configured again with other settings (a later terraform command in the
// same process) gets a driver opened with the new ones.
func (p *pool) get(ctx context.Context, b *backend) (driver.Driver, error) {
	key, fp := poolKey(b), fingerprint(b.config)
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.open[key]; e != nil {
		if e.fingerprint == fp {
			return e.d, nil
		}
		delete(p.open, key)
		if err := e.d.Close(); err != nil {
			return nil, fmt.Errorf("closing backend %q to reopen it with new settings: %w", b.name, err)
		}
	}
	d, err := b.factory.Open(ctx, driver.OpenRequest{Name: b.name, DataDir: b.dataDir, Config: b.config})
	if err != nil {
		return nil, err
	}
	p.open[key] = &pooled{d: d, fingerprint: fp}
	return d, nil
}

// closeWhere closes and forgets the drivers whose data folder match
// selects.
func (p *pool) closeWhere(match func(dataDir string) bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(p.open)) {
		dir, name, _ := strings.Cut(key, "\x00")
		if !match(dir) {
			continue
		}
		if err := p.open[key].d.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing backend %s: %w", name, err))
		}
		delete(p.open, key)
	}
	return errors.Join(errs...)
}

// CloseBackends closes every driver this process opened, so that drivers
// that keep files (the simulator) write them out and release their locks.
// cmd/terraform-provider-novacron calls it when Terraform stops the provider.
func CloseBackends() error {
	return drivers.closeWhere(func(string) bool { return true })
}

// fingerprint renders a config canonically, sensitive values included (it
// stays in memory).
func fingerprint(c driver.Config) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(c)) {
		b.WriteString(k + "=" + c.Format(k) + "\n")
	}
	return b.String()
}
