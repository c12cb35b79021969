package ec2

import (
	"context"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/novacron/novacron/engine/driver"
)

// change is an Update worked out before anything is touched.
type change struct {
	id       string
	cur      driver.VM
	next     driver.VM
	tags     map[string]string // the instance's tags now
	want     map[string]string // and as they should be
	resize   string            // the new instance type, or ""
	volume   string            // the root volume, when it grows
	root     string            // the root volume, when the marker goes from it
	wasPower driver.Power
}

// Update applies ch: a new size is a new instance type (stop, change the
// type, start: only with ch.Restart; none when the type stays), a bigger
// disk grows the root volume online, tags and the marker are rewritten,
// and power is started or stopped. Everything is checked before the first
// change, so a refused update leaves the instance as it was.
func (d *Driver) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	c, err := d.plan(ctx, id, ch)
	if err != nil {
		return driver.VM{}, err
	}
	if err := d.apply(ctx, c); err != nil {
		return driver.VM{}, err
	}
	return d.vm(ctx, id)
}

// plan reads the instance and works out the change.
func (d *Driver) plan(ctx context.Context, id string, ch driver.Changes) (change, error) {
	i, err := d.instance(ctx, id)
	if err != nil {
		return change{}, err
	}
	cur, err := d.vmFrom(ctx, i)
	if err != nil {
		return change{}, err
	}
	c := change{id: id, cur: cur, next: ch.Apply(cur), tags: tagMap(i.Tags), wasPower: cur.Power}
	if c.next.DiskGB < cur.DiskGB {
		return change{}, driver.Errorf(driver.KindPermanent, "instance %s: the root volume cannot shrink from %d GB to %d GB (the plan replaces the VM instead)", id, cur.DiskGB, c.next.DiskGB)
	}
	if c.next.DiskGB > cur.DiskGB {
		c.volume = rootVolume(i)
	}
	if cur.Marker != nil && c.next.Marker == nil {
		c.root = rootVolume(i)
	}
	sz, err := d.resizeTo(ctx, i, c, ch.Restart)
	if err != nil {
		return change{}, err
	}
	if c.want, err = d.wantTags(c, sz); err != nil {
		return change{}, err
	}
	if sz.Name != string(i.InstanceType) {
		c.resize = sz.Name
	}
	return c, nil
}

// resizeTo is the size the instance should have: as it is when cpu and
// memory stay; else the pinned type while it fits, or the cheapest fit.
// A new size needs ch.Restart, as Capabilities say.
func (d *Driver) resizeTo(ctx context.Context, i types.Instance, c change, restart bool) (size, error) {
	old, tagged := parseSizeTag(c.tags[tagSize])
	if !tagged || old.Name != string(i.InstanceType) {
		old = size{CPU: c.cur.CPU, MemoryMiB: c.cur.MemoryMiB, Name: string(i.InstanceType)}
	}
	if c.next.CPU == c.cur.CPU && c.next.MemoryMiB == c.cur.MemoryMiB {
		return old, nil
	}
	if !restart {
		return size{}, driver.Errorf(driver.KindPermanent, "instance %s: changing cpu or memory changes the instance type, which needs a restart (stop, change type, start)", c.id)
	}
	pinned := ""
	if old.Pinned {
		pinned = old.Name
	}
	itype, err := d.chooseType(ctx, pinned, string(i.Architecture), c.next.CPU, c.next.MemoryMiB)
	if err != nil {
		return size{}, err
	}
	return size{CPU: c.next.CPU, MemoryMiB: c.next.MemoryMiB, Name: itype, Pinned: old.Pinned}, nil
}

// wantTags are the instance's tags after the change: the ones of other
// tools kept, the user's replaced, the marker and size rewritten.
func (d *Driver) wantTags(c change, sz size) (map[string]string, error) {
	user, err := userTags(c.next.Tags)
	if err != nil {
		return nil, err
	}
	want := maps.Clone(user)
	if n := c.tags[tagName]; n != "" {
		want[tagName] = n
	}
	if t, ok := c.tags[tagTemplate]; ok {
		want[tagTemplate] = t
	}
	if c.next.Marker != nil {
		maps.Copy(want, c.next.Marker.Tags())
	}
	want[tagSize] = sizeTag(sz)
	return want, nil
}

// apply makes the change: type, disk, tags, then power.
func (d *Driver) apply(ctx context.Context, c change) error {
	power := c.wasPower
	if c.resize != "" {
		if err := d.changeType(ctx, c.id, c.resize, power); err != nil {
			return err
		}
		power = driver.PowerStopped
	}
	if c.volume != "" {
		if _, err := d.c.ModifyVolume(ctx, &ec2.ModifyVolumeInput{VolumeId: aws.String(c.volume), Size: aws.Int32(int32(c.next.DiskGB))}); err != nil {
			return fail(err, "growing the root volume %s of instance %s to %d GB", c.volume, c.id, c.next.DiskGB)
		}
	}
	if err := d.retag(ctx, c); err != nil {
		return err
	}
	switch {
	case c.next.Power == driver.PowerRunning && power != driver.PowerRunning:
		return d.start(ctx, c.id)
	case c.next.Power == driver.PowerStopped && power != driver.PowerStopped:
		return d.stop(ctx, c.id)
	}
	return nil
}

// changeType stops a running instance and changes its type; it is left
// stopped.
func (d *Driver) changeType(ctx context.Context, id, itype string, power driver.Power) error {
	if power == driver.PowerRunning {
		if err := d.stop(ctx, id); err != nil {
			return err
		}
	} else if err := d.waitStopped(ctx, id); err != nil { // it may still be stopping
		return err
	}
	_, err := d.c.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{
		InstanceId: aws.String(id), InstanceType: &types.AttributeValue{Value: aws.String(itype)},
	})
	if err != nil {
		return fail(err, "changing the type of instance %s to %s", id, itype)
	}
	return nil
}

// retag writes the tags that are new or changed and deletes those that
// went, in one call each at most. A marker that goes leaves the root
// volume first: a retry after a failure there still finds it on the
// instance, and clears both.
func (d *Driver) retag(ctx context.Context, c change) error {
	if err := d.unmarkVolume(ctx, c); err != nil {
		return err
	}
	set := map[string]string{}
	for k, v := range c.want {
		if old, ok := c.tags[k]; !ok || old != v {
			set[k] = v
		}
	}
	var gone []types.Tag
	for _, k := range sortedKeys(c.tags) {
		if _, ok := c.want[k]; !ok && owns(k, c) {
			gone = append(gone, types.Tag{Key: aws.String(k)})
		}
	}
	if len(gone) > 0 {
		if _, err := d.c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{c.id}, Tags: gone}); err != nil {
			return fail(err, "removing tags of instance %s", c.id)
		}
	}
	if len(set) > 0 {
		if _, err := d.c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{c.id}, Tags: ec2Tags(set)}); err != nil {
			return fail(err, "tagging instance %s", c.id)
		}
	}
	return nil
}

// owns says whether a tag the instance has is the driver's to remove: a
// user tag the VM reported, or one of the marker's when the marker goes
// (the others, aws: ones, are not the engine's).
func owns(key string, c change) bool {
	if _, user := c.cur.Tags[key]; user {
		return true
	}
	_, marker := driver.Marker{}.Tags()[key]
	return marker && c.next.Marker == nil
}

// unmarkVolume deletes the marker's tags from the root volume (Create
// tags it with the marker too) when the marker goes.
func (d *Driver) unmarkVolume(ctx context.Context, c change) error {
	if c.root == "" {
		return nil
	}
	var keys []types.Tag
	for _, k := range sortedKeys(driver.Marker{}.Tags()) {
		keys = append(keys, types.Tag{Key: aws.String(k)})
	}
	if _, err := d.c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{c.root}, Tags: keys}); err != nil {
		return fail(err, "removing the marker from volume %s of instance %s", c.root, c.id)
	}
	return nil
}
