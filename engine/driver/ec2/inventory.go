package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/novacron/novacron/engine/driver"
)

// pageSize is how many instances one DescribeInstances page holds (EC2's
// most).
const pageSize = 1000

// liveStates are the states of an instance that exists for the engine;
// shutting-down and terminated ones are gone.
var liveStates = []string{"pending", "running", "stopping", "stopped"}

// Inventory lists the region's live instances that carry NovaCron's
// marker (every live instance with list_unmanaged), in pages of 1,000,
// then their root volumes' sizes in batches of 200 and the sizes of
// instance types the table lacks in batches of 100. No call is made per
// instance. Availability zones are not hosts: EC2 places instances, so
// no hosts are listed.
func (d *Driver) Inventory(ctx context.Context) (driver.Inventory, error) {
	instances, err := d.describe(ctx, d.filters())
	if err != nil {
		return driver.Inventory{}, err
	}
	disks, err := d.rootSizes(ctx, instances)
	if err != nil {
		return driver.Inventory{}, err
	}
	known, err := d.typeSizes(ctx, instances)
	if err != nil {
		return driver.Inventory{}, err
	}
	inv := driver.Inventory{VMs: make([]driver.VM, 0, len(instances))}
	for _, i := range instances {
		inv.VMs = append(inv.VMs, vmOf(i, disks[rootVolume(i)], known))
	}
	return inv, nil
}

// filters select live instances, and NovaCron's only unless
// list_unmanaged is set.
func (d *Driver) filters() []types.Filter {
	f := []types.Filter{{Name: aws.String("instance-state-name"), Values: liveStates}}
	if !d.cfg.listUnmanaged {
		f = append(f, types.Filter{Name: aws.String("tag-key"), Values: []string{driver.TagAddress}})
	}
	return f
}

// describe pages through DescribeInstances.
func (d *Driver) describe(ctx context.Context, filters []types.Filter) ([]types.Instance, error) {
	var out []types.Instance
	pg := ec2.NewDescribeInstancesPaginator(d.c, &ec2.DescribeInstancesInput{Filters: filters, MaxResults: aws.Int32(pageSize)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, fail(err, "listing the instances of region %s", d.region)
		}
		for _, r := range page.Reservations {
			out = append(out, r.Instances...)
		}
	}
	return out, nil
}

// volumeBatch is how many volumes one DescribeVolumes asks for.
const volumeBatch = 200

// rootSizes are the sizes in GiB of the instances' root volumes, by ID.
func (d *Driver) rootSizes(ctx context.Context, instances []types.Instance) (map[string]int, error) {
	var ids []string
	for _, i := range instances {
		if v := rootVolume(i); v != "" {
			ids = append(ids, v)
		}
	}
	out := make(map[string]int, len(ids))
	for start := 0; start < len(ids); start += volumeBatch {
		batch := ids[start:min(start+volumeBatch, len(ids))]
		res, err := d.c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: batch})
		if err != nil {
			if errorCode(err) == "InvalidVolume.NotFound" {
				continue // an instance terminated meanwhile: its size stays unknown
			}
			return nil, fail(err, "reading the root volumes' sizes in region %s", d.region)
		}
		for _, v := range res.Volumes {
			out[aws.ToString(v.VolumeId)] = int(aws.ToInt32(v.Size))
		}
	}
	return out, nil
}

// typeBatch is how many types one DescribeInstanceTypes asks for.
const typeBatch = 100

// typeSizes describes the instance types of the instances that the table
// does not list and whose size tag does not say.
func (d *Driver) typeSizes(ctx context.Context, instances []types.Instance) (sizes, error) {
	var names []string
	seen := map[string]bool{}
	for _, i := range instances {
		t := string(i.InstanceType)
		if _, ok := lookupSize(t); ok || seen[t] || t == "" {
			continue
		}
		seen[t] = true
		names = append(names, t)
	}
	out := sizes{}
	for start := 0; start < len(names); start += typeBatch {
		batch := names[start:min(start+typeBatch, len(names))]
		in := &ec2.DescribeInstanceTypesInput{}
		for _, n := range batch {
			in.InstanceTypes = append(in.InstanceTypes, types.InstanceType(n))
		}
		res, err := d.c.DescribeInstanceTypes(ctx, in)
		if err != nil {
			return nil, fail(err, "describing instance types in region %s", d.region)
		}
		for _, t := range res.InstanceTypes {
			out[string(t.InstanceType)] = sizeOfType(t)
		}
	}
	return out, nil
}

// sizeOfType is an instance type's vCPUs and memory.
func sizeOfType(t types.InstanceTypeInfo) driver.Size {
	s := driver.Size{Name: string(t.InstanceType)}
	if t.VCpuInfo != nil {
		s.CPU = int(aws.ToInt32(t.VCpuInfo.DefaultVCpus))
	}
	if t.MemoryInfo != nil {
		s.MemoryMiB = aws.ToInt64(t.MemoryInfo.SizeInMiB)
	}
	return s
}

// instance describes one instance; not-found when it is gone.
func (d *Driver) instance(ctx context.Context, id string) (types.Instance, error) {
	if err := checkID(id); err != nil {
		return types.Instance{}, err
	}
	out, err := d.c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		return types.Instance{}, fail(err, "describing instance %s", id)
	}
	for _, r := range out.Reservations {
		for _, i := range r.Instances {
			if aws.ToString(i.InstanceId) == id && !gone(i.State) {
				return i, nil
			}
		}
	}
	return types.Instance{}, driver.Errorf(driver.KindNotFound, "instance %s does not exist (or is terminated)", id)
}

// gone: a shutting-down or terminated instance no longer exists for the
// engine.
func gone(s *types.InstanceState) bool {
	return s != nil && (s.Name == types.InstanceStateNameTerminated || s.Name == types.InstanceStateNameShuttingDown)
}

// vm reads one instance as the engine sees it.
func (d *Driver) vm(ctx context.Context, id string) (driver.VM, error) {
	i, err := d.instance(ctx, id)
	if err != nil {
		return driver.VM{}, err
	}
	return d.vmFrom(ctx, i)
}

// vmFrom is an instance as the engine sees it, its disk and type read.
func (d *Driver) vmFrom(ctx context.Context, i types.Instance) (driver.VM, error) {
	one := []types.Instance{i}
	disks, err := d.rootSizes(ctx, one)
	if err != nil {
		return driver.VM{}, err
	}
	known, err := d.typeSizes(ctx, one)
	if err != nil {
		return driver.VM{}, err
	}
	return vmOf(i, disks[rootVolume(i)], known), nil
}
