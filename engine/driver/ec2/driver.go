package ec2

import (
	"context"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/lazyregexp"
)

var _ driver.Driver = (*Driver)(nil)

// Driver is an open EC2 provider: one SDK client (safe for concurrent
// use), shared by every call. It is safe for concurrent use.
type Driver struct {
	name   string
	cfg    config
	region string
	c      *ec2.Client
	nonce  string // of the ClientTokens (clientToken)

	mu     sync.Mutex
	images map[string]image // AMIs by ID, as described once
}

// Open makes the SDK client and checks, with one call each, that the
// credentials are accepted and that the subnet, security groups and key
// pair the settings name exist; each that does not is an error naming
// its setting.
func Open(ctx context.Context, req driver.OpenRequest) (*Driver, error) {
	cfg, err := resolveConfig(req.Config)
	if err != nil {
		return nil, err
	}
	c, region, err := client(ctx, cfg)
	if err != nil {
		return nil, err
	}
	d := &Driver{name: req.Name, cfg: cfg, region: region, c: c, nonce: newNonce(), images: map[string]image{}}
	if err := d.check(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// Capabilities: nothing changes size without a restart but the root
// volume, which EC2 grows online; instances do not move between zones.
func (d *Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{OnlineDiskGrow: true, StoppedUseNoCapacity: true, MaxParallel: 20}
}

// Close releases nothing: the SDK's client holds only idle connections.
func (d *Driver) Close() error { return nil }

// Migrate is not supported: an instance stays in its availability zone
// (a plan that pins another zone replaces it).
func (d *Driver) Migrate(ctx context.Context, id, host string, live bool) error {
	return driver.Errorf(driver.KindPermanent, "provider ec2.%s cannot move instance %s to %s: EC2 instances do not migrate between availability zones (the plan replaces them instead)", d.name, id, host)
}

// instanceID matches the one spelling of an instance ID.
var instanceID = lazyregexp.New(`^i-([0-9a-f]{8}|[0-9a-f]{17})$`)

// checkID says whether id can name an instance: nil when it is an
// instance ID; a permanent error for text driver.CheckID refuses and for
// another spelling of an instance ID (upper case), which is never taken
// for the instance; not-found for anything else.
func checkID(id string) error {
	if err := driver.CheckID(id); err != nil {
		return err
	}
	switch c, ok := canonicalID(id); {
	case !ok:
		return driver.Errorf(driver.KindNotFound, "no instance %q: EC2 instance IDs look like i-0123456789abcdef0", id)
	case c != id:
		return driver.NotCanonical(id, c)
	}
	return nil
}

var _ driver.IDCanonicalizer = (*Driver)(nil)

// CanonicalID spells an instance ID as EC2 does, in lower case; false for
// what is no instance ID in any case.
func (d *Driver) CanonicalID(id string) (string, bool) { return canonicalID(id) }

func canonicalID(id string) (string, bool) {
	lower := strings.ToLower(id)
	return lower, instanceID.MatchString(lower)
}
