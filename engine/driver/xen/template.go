package xen

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// template is what the driver needs of a XenAPI template.
type template struct {
	ref    string
	rec    *vmRecord
	diskGB int // its first disk's size, 0 when it has none
}

// template finds the template a template setting names, once per driver.
func (d *Driver) template(ctx context.Context, ref driver.TemplateRef) (*template, error) {
	want := ref.Config.String(tmplTemplate)
	d.mu.Lock()
	t, ok := d.templates[want]
	d.mu.Unlock()
	if ok {
		return t, nil
	}
	t, err := d.findTemplate(ctx, want)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.templates[want] = t
	d.mu.Unlock()
	return t, nil
}

// findTemplate looks the template up by uuid, then by name-label.
func (d *Driver) findTemplate(ctx context.Context, want string) (*template, error) {
	var refs []string
	if uuidPattern().MatchString(want) {
		var ref string
		err := d.c.call(ctx, "VM.get_by_uuid", &ref, want)
		if err != nil && kindOf(err) != driver.KindNotFound {
			return nil, fail(err, "finding the template %q", want)
		}
		if err == nil {
			refs = []string{ref}
		}
	}
	if len(refs) == 0 {
		if err := d.c.call(ctx, "VM.get_by_name_label", &refs, want); err != nil {
			return nil, fail(err, "finding the template %q", want)
		}
	}
	var found []*template
	for _, ref := range refs {
		r, err := d.record(ctx, ref)
		if err != nil {
			return nil, err
		}
		if r.IsATemplate && !r.IsASnapshot {
			found = append(found, &template{ref: ref, rec: r})
		}
	}
	switch len(found) {
	case 0:
		return nil, driver.Errorf(driver.KindPermanent, "template %q: pool %q has no template of that name-label or uuid (%s): check template in the template's xen block", want, d.poolTag, d.templateNames(ctx))
	case 1:
	default:
		return nil, driver.Errorf(driver.KindPermanent, "template %q: pool %q has %d templates of that name-label: set template to the uuid of one", want, d.poolTag, len(found))
	}
	t := found[0]
	disks, err := d.disks(ctx, t.rec)
	if err != nil {
		return nil, err
	}
	if first, ok := firstDisk(disks); ok {
		t.diskGB = int((int64(first.vdi.VirtualSize) + gib - 1) / gib)
	}
	return t, nil
}

// CheckCreate refuses, before any VM is made, a template that does not
// exist, a disk smaller than the template's, and an unknown host.
func (d *Driver) CheckCreate(ctx context.Context, spec driver.VMSpec) error {
	t, err := d.template(ctx, spec.Template)
	if err != nil {
		return err
	}
	if err := checkSize(t, spec); err != nil {
		return err
	}
	if spec.Host != "" {
		_, err = d.hostRef(spec.Host)
	}
	return err
}

// checkSize refuses a size the template cannot give.
func checkSize(t *template, spec driver.VMSpec) error {
	switch {
	case spec.DiskGB > 0 && spec.DiskGB < t.diskGB:
		return driver.Errorf(driver.KindPermanent, "template %q has a %d GB disk, more than disk_gb = %d: disks only grow (set disk_gb to %d or more)",
			t.rec.NameLabel, t.diskGB, spec.DiskGB, t.diskGB)
	case spec.DiskGB > 0 && t.diskGB == 0:
		return driver.Errorf(driver.KindPermanent, "template %q has no disk, so disk_gb cannot size one: use a template with a disk (see docs/drivers/xen.md)", t.rec.NameLabel)
	case spec.CPU < 1:
		return fmt.Errorf("a VM needs at least 1 vCPU, not %d", spec.CPU)
	case spec.MemoryMiB < 64:
		return fmt.Errorf("a VM needs at least 64 MiB of memory, not %d MiB", spec.MemoryMiB)
	}
	return nil
}

// templateNames lists the pool's templates for an error: the first
// maxListed name-labels, sorted (a pool has a hundred built-in ones).
func (d *Driver) templateNames(ctx context.Context) string {
	const maxListed = 30
	var all map[string]*vmRecord
	if err := d.c.call(ctx, "VM.get_all_records", &all); err != nil {
		return "its templates could not be read"
	}
	var names []string
	for _, r := range all {
		if r.IsATemplate && !r.IsASnapshot && markerOf(r.OtherConfig) == nil {
			names = append(names, fmt.Sprintf("%q", r.NameLabel))
		}
	}
	if len(names) == 0 {
		return "it has none"
	}
	slices.Sort(names)
	more := ""
	if len(names) > maxListed {
		more = fmt.Sprintf(" and %d more (xe template-list)", len(names)-maxListed)
		names = names[:maxListed]
	}
	return "it has " + strings.Join(names, ", ") + more
}
