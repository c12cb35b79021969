// Package ec2test is a small, strict Amazon EC2 API server for tests and
// the examples/aws/ec2sim command: it speaks EC2's Query protocol
// (form-encoded POSTs with Action=… and Version=2016-11-15, XML answers
// with <item> lists, <nextToken> paging, errors as
// <Response><Errors><Error>…) to the real AWS SDK, pointed at it with
// BaseEndpoint (or AWS_ENDPOINT_URL_EC2).
//
// It keeps instances, their root volumes and tags in memory, and moves
// them through EC2's states over time (pending → running, stopping →
// stopped, shutting-down → terminated) as EC2 does. It checks what EC2
// checks for the calls it serves: the SigV4 signature against its one
// access key (AuthFailure otherwise), AMIs, instance types and their
// architecture, subnets, security groups, key pairs, availability zones,
// block device sizes, tag limits, the states an action needs
// (IncorrectInstanceState), and ClientToken idempotency (the same token
// answers with the first launch; with other parameters it is
// IdempotentParameterMismatch). An action or parameter it does not serve
// fails loudly (InvalidAction, UnknownParameter) before anything changes,
// so a driver cannot pass against it by sending what EC2 would reject or
// ignore.
//
// Tests inject what a cloud does on a bad day: throttling
// (RequestLimitExceeded for a while), slow answers (the work is done,
// the answer comes late, as when a client times out), and any error code
// for the next calls of an action.
//
// It is not EC2: one region, one account, no VPC or network model beyond
// the IDs it knows, one instance per RunInstances. It imports nothing of
// the engine.
package ec2test
