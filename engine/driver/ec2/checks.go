package ec2

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// check makes one call for the credentials and region, and one for each
// of subnet_id, security_group_ids and key_name that is set.
func (d *Driver) check(ctx context.Context) error {
	if _, err := d.c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}); err != nil {
		return d.openError(err)
	}
	if d.cfg.subnet != "" {
		if _, err := d.c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{d.cfg.subnet}}); err != nil {
			return fail(err, "subnet_id %s in region %s", d.cfg.subnet, d.region)
		}
	}
	if len(d.cfg.groups) > 0 {
		if _, err := d.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: d.cfg.groups}); err != nil {
			return fail(err, "security_group_ids in region %s", d.region)
		}
	}
	if d.cfg.keyName != "" {
		if _, err := d.c.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{d.cfg.keyName}}); err != nil {
			return fail(err, "key_name %q in region %s", d.cfg.keyName, d.region)
		}
	}
	return nil
}

// openError says what the first call's failure means for the settings.
func (d *Driver) openError(err error) error {
	where := "EC2 in region " + d.region
	if d.cfg.endpoint != "" {
		where += " at endpoint " + d.cfg.endpoint
	}
	switch errorCode(err) {
	case "AuthFailure", "UnrecognizedClientException", "InvalidClientTokenId", "SignatureDoesNotMatch":
		src := "the SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, shared files, SSO, instance role)"
		if d.cfg.profile != "" {
			src = fmt.Sprintf("profile %q", d.cfg.profile)
		}
		return fmt.Errorf("%s refused the credentials from %s: check them, and that region %s is right (%s)", where, src, d.region, errorCode(err))
	case "":
		return fail(err, "cannot reach %s: check region and endpoint", where)
	}
	return fail(err, "%s", where)
}

// image is what the driver needs of an AMI.
type image struct {
	arch, rootDevice string
	sizeGB           int // the root snapshot's size: the smallest root volume
}

// describeImage describes an AMI once per driver.
func (d *Driver) describeImage(ctx context.Context, id string) (image, error) {
	d.mu.Lock()
	im, ok := d.images[id]
	d.mu.Unlock()
	if ok {
		return im, nil
	}
	out, err := d.c.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}})
	if err != nil {
		return image{}, fail(err, "the template's ami %s in region %s", id, d.region)
	}
	if len(out.Images) != 1 {
		return image{}, fmt.Errorf("the template's ami %s: EC2 describes %d images, want 1: check ami in the template's ec2 block", id, len(out.Images))
	}
	m := out.Images[0]
	im = image{arch: string(m.Architecture), rootDevice: aws.ToString(m.RootDeviceName)}
	for _, b := range m.BlockDeviceMappings {
		if aws.ToString(b.DeviceName) == im.rootDevice && b.Ebs != nil {
			im.sizeGB = int(aws.ToInt32(b.Ebs.VolumeSize))
		}
	}
	d.mu.Lock()
	d.images[id] = im
	d.mu.Unlock()
	return im, nil
}
