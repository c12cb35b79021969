package gce

import (
	"context"
	"crypto/sha256"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/novacron/novacron/engine/driver"
)

// metaTemplate is the metadata key of the template's ID (a label could
// not hold it: labels are lowercase and short).
const metaTemplate = "novacron-template"

// launch is a Create worked out before anything is made.
type launch struct {
	zone  string
	inst  *compute.Instance
	mtype string
}

var _ driver.CreateChecker = (*Driver)(nil)

// CheckCreate tells at plan time what Create would refuse: a name that
// is no instance name, a host that is none of the zones, a tag that
// breaks the label rules, an image that does not exist or is bigger than
// the disk, a machine type that does not exist or is too small, a name an
// instance without NovaCron's marker already has in the zone. It reads
// each image and machine type once per driver, and lists the instances
// once (clash.go).
func (d *Driver) CheckCreate(ctx context.Context, spec driver.VMSpec) error {
	l, err := d.prepare(ctx, spec)
	if err != nil {
		return err
	}
	return d.clash(ctx, l.zone, spec)
}

// Create inserts one instance with its labels (marker included) and
// template metadata, waits for the operation, and stops the instance when
// the spec wants it stopped. The insert carries a requestId (requestID):
// every retry of one Create sends the same, so Compute Engine makes at
// most one instance for them.
func (d *Driver) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	l, err := d.prepare(ctx, spec)
	if err != nil {
		return driver.VM{}, err
	}
	key := idOf(l.zone, spec.Name)
	what := fmt.Sprintf("creating instance %s (%s, %s)", key, l.mtype, spec.Template.Config.String(tmplImage))
	if err := d.insert(ctx, l, spec.Marker, key, what); err != nil {
		return driver.VM{}, err
	}
	if spec.Power == driver.PowerStopped {
		if err := d.stop(ctx, l.zone, spec.Name); err != nil {
			return driver.VM{}, err
		}
	}
	return d.vm(ctx, l.zone, spec.Name)
}

// insert sends instances.insert and waits for it. An instance of the name
// that carries the same marker is the one an earlier attempt made (its
// answer lost): it is taken. A failed operation made nothing, so the next
// attempt gets a new requestId.
func (d *Driver) insert(ctx context.Context, l launch, m driver.Marker, key, what string) error {
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	op, err := d.svc.Instances.Insert(d.project, l.zone, l.inst).RequestId(d.requestID(m, key)).Context(cctx).Do()
	cancel()
	if err != nil {
		if reasonOf(err) == "alreadyExists" && m != (driver.Marker{}) {
			return d.adopt(ctx, l.zone, l.inst.Name, m, err, what)
		}
		return d.fail(err, "%s", what)
	}
	if err := d.wait(ctx, l.zone, op, what); err != nil {
		if driver.KindOf(err) != driver.KindTransient {
			d.bump(key)
		}
		return err
	}
	return nil
}

// adopt takes an existing instance of the name when it carries marker m.
func (d *Driver) adopt(ctx context.Context, zone, name string, m driver.Marker, exists error, what string) error {
	i, err := d.instance(ctx, zone, name)
	if err != nil {
		return d.fail(exists, "%s", what)
	}
	if got, _ := markerOf(i.Labels); got == nil || *got != m {
		return driver.Errorf(driver.KindPermanent, "%s: an instance named %s already exists in zone %s and is not this VM's: rename the VM (name) or delete that instance", what, name, zone)
	}
	return nil
}

// requestID is the requestId of an insert: a UUID made of a digest of
// the marker, the instance's zone/name, the driver's nonce and the
// name's generation. Every attempt of one Create sends the same, so
// Compute Engine makes one instance for them however many answers are
// lost. Delete bumps the generation, so that a replace (delete, then
// create at the same address with the same spec hash) is a new request,
// never answered with the deleted instance's operation.
func (d *Driver) requestID(m driver.Marker, key string) string {
	d.mu.Lock()
	gen := d.gens[key]
	d.mu.Unlock()
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%s\x00%s\x00%d", d.nonce, key, m.Lineage, m.Address, m.SpecHash, gen))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x50 // a name-based UUID (version 5 layout)
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// bump starts a new generation of requestIds for zone/name.
func (d *Driver) bump(key string) {
	d.mu.Lock()
	d.gens[key]++
	d.mu.Unlock()
}

// prepare checks everything an insert needs and builds it. It reports
// every problem it finds at once (name, host, tags, image and disk,
// machine type), so that one plan names them all.
func (d *Driver) prepare(ctx context.Context, spec driver.VMSpec) (launch, error) {
	var errs problems
	if !resourceName().MatchString(spec.Name) {
		errs.add(driver.Errorf(driver.KindPermanent, "name %q is not a Compute Engine instance name: 1 to 63 lowercase letters, digits and dashes, starting with a letter and not ending with a dash (%s)", spec.Name, nameHint(spec)))
	}
	zone, err := d.zoneFor(spec)
	errs.add(err)
	errs.add(checkTags(spec.Tags))
	tc := spec.Template.Config
	im, err := d.readImage(ctx, tc.String(tmplImage))
	errs.add(err)
	if err == nil && spec.DiskGB < im.sizeGB {
		errs.add(driver.Errorf(driver.KindPermanent, "disk_gb %d is smaller than image %s (%d GB): a boot disk cannot be", spec.DiskGB, tc.String(tmplImage), im.sizeGB))
	}
	var sz size
	if zone != "" {
		sz, err = d.chooseType(ctx, zone, tc.String(tmplMachineType), spec.CPU, spec.MemoryMiB)
		errs.add(err)
	}
	if err := errs.err(); err != nil {
		return launch{}, err
	}
	var m *driver.Marker
	if spec.Marker != (driver.Marker{}) {
		m = &spec.Marker
	}
	labels, err := instanceLabels(spec.Tags, m, sz)
	if err != nil {
		return launch{}, err
	}
	return launch{zone: zone, mtype: sz.Name, inst: d.instanceOf(spec, zone, im, sz, labels)}, nil
}

// nameHint says where a VM's name comes from: a vm block's name (or its
// label), a fleet's name or the fleet's own.
func nameHint(spec driver.VMSpec) string {
	if strings.HasPrefix(spec.Marker.Address, "fleet.") {
		return "set name, or rename the fleet"
	}
	return "set name"
}

// problems collects what prepare finds wrong.
type problems []error

func (p *problems) add(err error) {
	if err != nil {
		*p = append(*p, err)
	}
}

// err is nil, the one problem, or all of them in one permanent error
// (transient only when every one is: a retry cannot mend the others).
func (p problems) err() error {
	switch len(p) {
	case 0:
		return nil
	case 1:
		return p[0]
	}
	kind := driver.KindTransient
	texts := make([]string, len(p))
	for i, err := range p {
		texts[i] = err.Error()
		if driver.KindOf(err) != driver.KindTransient {
			kind = driver.KindPermanent
		}
	}
	return driver.Errorf(kind, "%d problems: %s", len(p), strings.Join(texts, "; "))
}

// instanceOf is the instance an insert makes.
func (d *Driver) instanceOf(spec driver.VMSpec, zone string, im image, sz size, labels map[string]string) *compute.Instance {
	tid := spec.Template.ID()
	nic := &compute.NetworkInterface{Network: fmt.Sprintf("projects/%s/global/networks/%s", d.project, d.cfg.network)}
	if d.cfg.subnetwork != "" {
		nic.Subnetwork = fmt.Sprintf("projects/%s/regions/%s/subnetworks/%s", d.project, regionOf(zone), d.cfg.subnetwork)
	}
	return &compute.Instance{
		Name: spec.Name, MachineType: typeURL(zone, sz.Name), Labels: labels,
		Disks: []*compute.AttachedDisk{{
			Boot: true, AutoDelete: true, Type: "PERSISTENT",
			InitializeParams: &compute.AttachedDiskInitializeParams{DiskName: spec.Name, SourceImage: im.url, DiskSizeGb: int64(spec.DiskGB)},
		}},
		NetworkInterfaces: []*compute.NetworkInterface{nic},
		Metadata:          &compute.Metadata{Items: []*compute.MetadataItems{{Key: metaTemplate, Value: &tid}}},
	}
}

// zoneFor is the spec's host when it names one of the zones; else, with
// several zones, one chosen by the address, so a fleet spreads evenly and
// a VM keeps its zone from plan to plan.
func (d *Driver) zoneFor(spec driver.VMSpec) (string, error) {
	zones := d.cfg.zones
	if spec.Host != "" {
		if !slices.Contains(zones, spec.Host) {
			return "", driver.Errorf(driver.KindPermanent, "host %q is not one of provider gce.%s's zones %v", spec.Host, d.name, zones)
		}
		return spec.Host, nil
	}
	key := spec.Marker.Address
	if key == "" {
		key = spec.Name
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return zones[int(h.Sum32()%uint32(len(zones)))], nil
}

// chooseType is the template's machine type when it has one (which must
// exist in the zone and hold the VM's cpu and memory), else the cheapest
// fit of the table.
func (d *Driver) chooseType(ctx context.Context, zone, pinned string, cpu int, memoryMiB int64) (size, error) {
	if pinned == "" {
		s, err := cheapest(cpu, memoryMiB)
		return size{CPU: cpu, MemoryMiB: memoryMiB, Name: s.Name}, err
	}
	s, err := d.machineType(ctx, zone, pinned)
	if err != nil {
		return size{}, err
	}
	if !s.Fits(cpu, memoryMiB) {
		return size{}, driver.Errorf(driver.KindPermanent, "machine_type %s has %s and %d MiB, less than the VM's %s and %d MiB", pinned, driver.VCPUs(s.CPU), s.MemoryMiB, driver.VCPUs(cpu), memoryMiB)
	}
	return size{CPU: cpu, MemoryMiB: memoryMiB, Name: pinned, Pinned: true}, nil
}
