// Package vcsim starts govmomi's vCenter simulator
// (github.com/vmware/govmomi/simulator) the way NovaCron's vSphere driver
// meets a real vCenter: over TLS, with a certificate signed by a CA it
// writes to a file, a user and password of its own, and a VM template to
// clone. The `examples/vsphere/vcsim` command and the tests of the vSphere
// driver and of the Terraform provider share it.
//
// It is a simulator, not a vCenter: it keeps everything in memory and
// writes each VM's files under the folder it is given. It imports nothing
// of the engine and is for tests and the example only.
package vcsim
