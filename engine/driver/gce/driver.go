package gce

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	compute "google.golang.org/api/compute/v1"

	"github.com/novacron/novacron/engine/driver"
)

var _ driver.Driver = (*Driver)(nil)

// callTimeout bounds one API call (an operation is waited for by polls,
// each a call).
const callTimeout = time.Minute

// Driver is an open Compute Engine provider: one REST client (safe for
// concurrent use), shared by every call. It is safe for concurrent use.
type Driver struct {
	name    string
	cfg     config
	project string
	svc     *compute.Service
	nonce   string // of the requestIds

	mu     sync.Mutex
	gens   map[string]uint64      // per zone/name: bumped by Delete and failed inserts
	images map[string]image       // by the template's image setting
	types  map[string]driver.Size // machine types the table lacks, by zone/type

	unmanaged unmanaged // for CheckCreate
}

// Open makes the client and checks, with one call each, that the
// credentials are accepted, that the zones exist in the project, and that
// the network and subnetwork exist; each that does not is an error
// naming its setting.
func Open(ctx context.Context, req driver.OpenRequest) (*Driver, error) {
	cfg, err := resolveConfig(req.Config)
	if err != nil {
		return nil, err
	}
	svc, project, err := newService(ctx, cfg)
	if err != nil {
		return nil, err
	}
	d := &Driver{
		name: req.Name, cfg: cfg, project: project, svc: svc, nonce: newNonce(),
		gens: map[string]uint64{}, images: map[string]image{}, types: map[string]driver.Size{},
	}
	if err := d.check(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// Capabilities: a machine type changes only while the instance is
// stopped, so neither cpu nor memory is hot; a boot disk grows online;
// instances do not move between zones (Compute Engine has no such call:
// live migration is Google's own maintenance, not the user's).
func (d *Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{OnlineDiskGrow: true, StoppedUseNoCapacity: true, MaxParallel: 20}
}

// Close releases nothing: the client holds only idle connections.
func (d *Driver) Close() error { return nil }

// Migrate is not offered: the Compute Engine API has no call that moves
// an instance to another zone (a plan that pins another zone replaces it).
func (d *Driver) Migrate(ctx context.Context, id, host string, live bool) error {
	return driver.Errorf(driver.KindPermanent,
		"provider gce.%s cannot move instance %s to %s: the Compute Engine API offers no migration between zones (the plan replaces the VM instead)", d.name, id, host)
}

// newNonce is a driver's nonce: 16 random hex digits.
func newNonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ids are ZONE/NAME in lower case: an instance's name is unique in its
// zone, and Compute Engine spells both in lower case.
var (
	idPattern  = lazyRegexp(`^([a-z]+-[a-z]+[0-9]+-[a-z])/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)$`)
	selfLinkID = lazyRegexp(`^(?:https?://[^/]+/compute/v1/)?projects/[^/]+/zones/([^/]+)/instances/([^/]+)$`)
)

var _ driver.IDCanonicalizer = (*Driver)(nil)

// CanonicalID spells an id as Inventory does, ZONE/NAME in lower case;
// it reads other spellings Compute Engine would take for the instance
// (upper case, a self link), and is false for what names no instance.
func (d *Driver) CanonicalID(id string) (string, bool) { return canonicalID(id) }

func canonicalID(id string) (string, bool) {
	s := strings.ToLower(id)
	if m := selfLinkID().FindStringSubmatch(s); m != nil {
		s = m[1] + "/" + m[2]
	}
	return s, idPattern().MatchString(s)
}

// splitID checks id (driver.CheckID, then the one spelling: another one
// is refused, never resolved) and returns its zone and name; an id that
// names no instance of the provider's zones is not found.
func (d *Driver) splitID(id string) (zone, name string, err error) {
	if err := driver.CheckID(id); err != nil {
		return "", "", err
	}
	switch c, ok := canonicalID(id); {
	case !ok:
		return "", "", driver.Errorf(driver.KindNotFound, "no instance %q: ids of provider gce.%s are ZONE/NAME, such as us-central1-a/web-0", id, d.name)
	case c != id:
		return "", "", driver.NotCanonical(id, c)
	}
	zone, name, _ = strings.Cut(id, "/")
	if !slices.Contains(d.cfg.zones, zone) {
		return "", "", driver.Errorf(driver.KindNotFound, "no instance %s: zone %s is not one of provider gce.%s's zones", id, zone, d.name)
	}
	return zone, name, nil
}

// idOf is the id of the instance name in zone.
func idOf(zone, name string) string { return fmt.Sprintf("%s/%s", zone, name) }
