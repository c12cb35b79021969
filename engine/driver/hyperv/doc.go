// Package hyperv is the Hyper-V virtual machines over WinRM and PowerShell driver, registered as type "hyperv".
//
// Work in progress (issue 14): the factory is registered so that nova-plan
// and the Terraform provider list the type; Open refuses until the driver
// lands.
package hyperv
