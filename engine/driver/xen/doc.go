// Package xen is the XenServer / XCP-ng virtual machines in one pool (XenAPI JSON-RPC) driver, registered as type "xen".
//
// Work in progress (issue 14): the factory is registered so that nova-plan
// and the Terraform provider list the type; Open refuses until the driver
// lands.
package xen
