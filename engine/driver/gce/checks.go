package gce

import (
	"context"
	"fmt"

	"github.com/novacron/novacron/engine/driver"
)

// check makes one call per zone (the first also proves the credentials
// and the project), one for the network and one for the subnetwork.
func (d *Driver) check(ctx context.Context) error {
	for i, z := range d.cfg.zones {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		_, err := d.svc.Zones.Get(d.project, z).Context(cctx).Do()
		cancel()
		if err != nil {
			return d.openError(err, i == 0, z)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	if _, err := d.svc.Networks.Get(d.project, d.cfg.network).Context(cctx).Do(); err != nil {
		return d.failSetting(err, "check network", "network %q of project %s", d.cfg.network, d.project)
	}
	if d.cfg.subnetwork != "" {
		region := regionOf(d.cfg.zones[0])
		if _, err := d.svc.Subnetworks.Get(d.project, region, d.cfg.subnetwork).Context(cctx).Do(); err != nil {
			return d.failSetting(err, "check subnetwork: it must be in the zones' region", "subnetwork %q in region %s of project %s", d.cfg.subnetwork, region, d.project)
		}
	}
	return nil
}

// openError says what a zone lookup's failure means for the settings:
// refused credentials, an unknown project (the first call), or zone.
func (d *Driver) openError(err error, first bool, zone string) error {
	where := "Compute Engine"
	if d.cfg.endpoint != "" {
		where += " at endpoint " + d.cfg.endpoint
	}
	switch {
	case unauthenticated(err) && apiError(err) == nil:
		return d.describe(err, where)
	case unauthenticated(err):
		return d.describe(err, fmt.Sprintf("%s refused %s", where, adcSource()))
	case kindOf(err) == driver.KindNotFound && first && d.projectMissing(err):
		return d.failSetting(err, "check project", "project %q", d.project)
	case kindOf(err) == driver.KindNotFound:
		return d.failSetting(err, "check zone", "zone %s of project %s", zone, d.project)
	case apiError(err) == nil:
		return d.describe(err, fmt.Sprintf("cannot reach %s: check endpoint and the network", where))
	}
	return d.failSetting(err, "check project and that the credentials may use Compute Engine in it", "reading zone %s of project %s", zone, d.project)
}

// projectMissing: Compute Engine says "The resource 'projects/P' was not
// found" when the project itself is unknown.
func (d *Driver) projectMissing(err error) bool {
	ge := apiError(err)
	return ge != nil && ge.Message == fmt.Sprintf("The resource 'projects/%s' was not found", d.project)
}
