package ec2test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// The server is tested with the real AWS SDK, as the driver uses it.

func start(t *testing.T, o Options) *Server {
	t.Helper()
	s, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// client is an SDK client of the server, with the given secret key and
// region ("" for the server's), retrying at most attempts times.
func client(s *Server, secret, region string, attempts int) *ec2.Client {
	if secret == "" {
		secret = s.SecretAccessKey
	}
	if region == "" {
		region = s.Region
	}
	return ec2.New(ec2.Options{
		Region: region, BaseEndpoint: aws.String(s.URL), RetryMaxAttempts: attempts,
		Credentials: credentials.NewStaticCredentialsProvider(s.AccessKeyID, secret, ""),
	})
}

// code is the EC2 error code of err, or "".
func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func runInput(token string) *ec2.RunInstancesInput {
	return &ec2.RunInstancesInput{
		ImageId: aws.String(ImageX86), InstanceType: types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), ClientToken: aws.String(token),
		SubnetId: aws.String(SubnetB), SecurityGroupIds: []string{SecurityGroup}, KeyName: aws.String(KeyPair),
		BlockDeviceMappings: []types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sda1"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(20), VolumeType: types.VolumeTypeGp3}}},
		TagSpecifications:   []types.TagSpecification{{ResourceType: types.ResourceTypeInstance, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web-0")}}}},
	}
}

// TestLaunchLifecycle: a launch is pending, then running; the same token
// answers the same instance; stop, resize, start and terminate move it
// through EC2's states, and the SDK's waiters see them.
func TestLaunchLifecycle(t *testing.T) {
	s := start(t, Options{Transition: 20 * time.Millisecond})
	c := client(s, "", "", 1)
	ctx := context.Background()
	out, err := c.RunInstances(ctx, runInput("tok-1"))
	if err != nil {
		t.Fatal(err)
	}
	i := out.Instances[0]
	id := aws.ToString(i.InstanceId)
	if i.State.Name != types.InstanceStateNamePending || aws.ToString(i.Placement.AvailabilityZone) != "us-east-1b" {
		t.Errorf("launched %s in %s, want pending in us-east-1b (the subnet's zone)", i.State.Name, aws.ToString(i.Placement.AvailabilityZone))
	}
	again, err := c.RunInstances(ctx, runInput("tok-1"))
	if err != nil || aws.ToString(again.Instances[0].InstanceId) != id {
		t.Fatalf("the same ClientToken launched %v, %v; want %s again", again, err, id)
	}
	other := runInput("tok-1")
	other.InstanceType = types.InstanceTypeT3Small
	if _, err := c.RunInstances(ctx, other); code(err) != "IdempotentParameterMismatch" {
		t.Errorf("the token with other parameters: %v, want IdempotentParameterMismatch", err)
	}
	w := ec2.NewInstanceRunningWaiter(c, func(o *ec2.InstanceRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 20*time.Millisecond
	})
	if err := w.Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, 5*time.Second); err != nil {
		t.Fatalf("waiting for running: %v", err)
	}
	_, err = c.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(id), InstanceType: &types.AttributeValue{Value: aws.String("t3.large")}})
	if code(err) != "IncorrectInstanceState" {
		t.Errorf("resizing a running instance: %v, want IncorrectInstanceState", err)
	}
	if _, err := c.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	sw := ec2.NewInstanceStoppedWaiter(c, func(o *ec2.InstanceStoppedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 20*time.Millisecond
	})
	if err := sw.Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, 5*time.Second); err != nil {
		t.Fatalf("waiting for stopped: %v", err)
	}
	if _, err := c.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(id), InstanceType: &types.AttributeValue{Value: aws.String("t3.large")}}); err != nil {
		t.Fatalf("resizing a stopped instance: %v", err)
	}
	if _, err := c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	tw := ec2.NewInstanceTerminatedWaiter(c, func(o *ec2.InstanceTerminatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 20*time.Millisecond
	})
	if err := tw.Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, 5*time.Second); err != nil {
		t.Fatalf("waiting for terminated: %v", err)
	}
	got := s.Instances()
	if len(got) != 1 || got[0].Type != "t3.large" || got[0].Name != "web-0" || got[0].State != "terminated" {
		t.Errorf("server holds %+v; want one terminated t3.large web-0", got)
	}
}

// TestPaging: DescribeInstances pages through a filter's instances with
// nextToken, and the paginator sees each once.
func TestPaging(t *testing.T) {
	s := start(t, Options{Instances: 25})
	c := client(s, "", "", 1)
	pg := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{
		MaxResults: aws.Int32(10),
		Filters:    []types.Filter{{Name: aws.String("tag-key"), Values: []string{"Name", "other"}}, {Name: aws.String("instance-state-name"), Values: []string{"running"}}},
	})
	seen, pages := map[string]bool{}, 0
	for pg.HasMorePages() {
		out, err := pg.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				seen[aws.ToString(i.InstanceId)] = true
			}
		}
	}
	if len(seen) != 25 || pages != 3 {
		t.Errorf("%d instances in %d pages, want 25 in 3", len(seen), pages)
	}
}

// TestRefusals: what EC2 refuses is refused, and nothing is launched.
func TestRefusals(t *testing.T) {
	s := start(t, Options{})
	ctx := context.Background()
	c := client(s, "", "", 1)
	cases := []struct {
		name string
		call func() error
		want string
	}{
		{"wrong secret", func() error { _, err := client(s, "wrong", "", 1).RunInstances(ctx, runInput("a")); return err }, "AuthFailure"},
		{"wrong region", func() error { _, err := client(s, "", "eu-west-1", 1).RunInstances(ctx, runInput("b")); return err }, "AuthFailure"},
		{"unknown AMI", func() error {
			in := runInput("c")
			in.ImageId = aws.String("ami-00000000000000000")
			_, err := c.RunInstances(ctx, in)
			return err
		}, "InvalidAMIID.NotFound"},
		{"unknown type", func() error {
			in := runInput("d")
			in.InstanceType = "t9.huge"
			_, err := c.RunInstances(ctx, in)
			return err
		}, "InvalidParameterValue"},
		{"arm type, x86 AMI", func() error {
			in := runInput("e")
			in.InstanceType = "t4g.micro"
			_, err := c.RunInstances(ctx, in)
			return err
		}, "InvalidParameterValue"},
		{"unknown parameter", func() error {
			in := runInput("f")
			in.Monitoring = &types.RunInstancesMonitoringEnabled{Enabled: aws.Bool(true)}
			_, err := c.RunInstances(ctx, in)
			return err
		}, "UnknownParameter"},
		{"unknown action", func() error { _, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); return err }, "InvalidAction"},
		{"small root", func() error {
			in := runInput("g")
			in.BlockDeviceMappings[0].Ebs.VolumeSize = aws.Int32(4)
			_, err := c.RunInstances(ctx, in)
			return err
		}, "InvalidBlockDeviceMapping"},
		{"unknown subnet", func() error {
			in := runInput("h")
			in.SubnetId = aws.String("subnet-0fffffffffffffff0")
			_, err := c.RunInstances(ctx, in)
			return err
		}, "InvalidSubnetID.NotFound"},
		{"aws: tag", func() error {
			in := runInput("i")
			in.TagSpecifications[0].Tags = append(in.TagSpecifications[0].Tags, types.Tag{Key: aws.String("aws:x"), Value: aws.String("y")})
			_, err := c.RunInstances(ctx, in)
			return err
		}, "InvalidParameterValue"},
		{"unknown instance", func() error {
			_, err := c.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
			return err
		}, "InvalidInstanceID.NotFound"},
		{"unknown filter", func() error {
			_, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue"},
	}
	for _, tc := range cases {
		if got := code(tc.call()); got != tc.want {
			t.Errorf("%s: error code %q, want %q", tc.name, got, tc.want)
		}
	}
	if n := len(s.Instances()); n != 0 {
		t.Errorf("the refused calls launched %d instances", n)
	}
}

// TestInjection: throttling answers RequestLimitExceeded until it ends;
// a delayed answer comes late, its work done at once.
func TestInjection(t *testing.T) {
	s := start(t, Options{})
	ctx := context.Background()
	c := client(s, "", "", 1)
	s.Throttle(200 * time.Millisecond)
	if _, err := c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}); code(err) != "RequestLimitExceeded" {
		t.Errorf("throttled call: %v, want RequestLimitExceeded", err)
	}
	patient := client(s, "", "", 10)
	if _, err := patient.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}); err != nil {
		t.Errorf("the SDK's retries did not outlast the throttling: %v", err)
	}
	if s.Throttled() < 2 {
		t.Errorf("%d calls throttled, want 2 or more", s.Throttled())
	}
	s.Delay("RunInstances", time.Second, 1)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.RunInstances(short, runInput("late")); err == nil {
		t.Fatal("a delayed answer came in time")
	}
	if n := len(s.Instances()); n != 1 {
		t.Errorf("the delayed launch made %d instances, want 1", n)
	}
}
