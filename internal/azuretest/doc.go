// Package azuretest keeps the state behind the Azure SDK's own server
// fakes (armcompute/v8/fake, armnetwork/v8/fake), which keep none: a small
// in-memory resource group of VMs and network interfaces that the fakes'
// method funcs read and change, strict where Azure is (unknown sizes,
// images and subnets, a create over an existing VM with If-None-Match,
// a disk resize of a running VM, deleting a network interface in use), and
// a transport that counts calls and answers 429 with Retry-After when told
// to throttle.
//
// It is test support: it must never be imported by the driver (the
// driver's tests import it), and it imports nothing of NovaCron. Its own
// tests run the path nova-plan takes (engine/workspace: plan, apply,
// outcomes as diagnostics) on the Azure driver in process, since the
// fakes live in the process and the nova-plan binary cannot reach them;
// the driver's tests may not import the engine.
package azuretest
