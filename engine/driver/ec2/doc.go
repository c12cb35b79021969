// Package ec2 is the Amazon EC2 driver, registered as type "ec2". It calls
// EC2's API with github.com/aws/aws-sdk-go-v2/service/ec2, one client per
// provider shared by every call.
//
// A provider block names a region (or the SDK's default: AWS_REGION, the
// profile's) and optionally a shared-config profile, an endpoint (a test
// server, a private endpoint), the subnet, security groups and key pair of
// new instances. Credentials come from the SDK's default chain only, never
// from a setting. Open makes one call to check the credentials and region,
// and one each for the subnet, groups and key pair named; a refusal is an
// error naming the setting.
//
// What a VM is here:
//
//   - an instance launched from the template's AMI (template ec2 { ami =
//     "ami-…" }), of the template's instance_type or else the cheapest type
//     of the package's table (sizes.go: its source and date) with the VM's
//     vCPUs and memory for the AMI's architecture, its root volume (gp3) of
//     disk_gb;
//   - identified by its instance ID, i-… in lower case (another spelling is
//     refused, never resolved);
//   - carrying its name in the Name tag and NovaCron's marker in the tags
//     novacron:address, novacron:lineage and novacron:spec, written by
//     RunInstances itself, with novacron:size (the size asked for and the
//     type chosen) and novacron:template (the template's ID);
//   - in an availability zone, its host. EC2 places instances, so the
//     inventory lists no hosts, and instances do not migrate.
//
// Inventory is bulk: DescribeInstances with a filter on the marker's tag
// (on live states only, with list_unmanaged) in pages of 1,000, then the
// root volumes' sizes in batches of 200; never a call per instance.
//
// Create sends a ClientToken derived from the marker and a per-driver
// nonce, so retries of one Create launch one instance, then waits (poll
// interval and wait_timeout bounded) until it runs. A new size is a new
// instance type: stop, ModifyInstanceAttribute, start, only with a restart
// allowed; the root volume grows online. Throttling and transient errors
// are retried by the SDK's standard retryer (max_attempts); what is left
// is classified for the executor (errors.go), with EC2's code and message.
//
// The package implements driver.Driver and nothing else of the engine; it
// never prints the template's user_data. It terminates only instances it
// is asked to by ID.
package ec2
