// Package azure is the Microsoft Azure driver, registered as type "azure".
// It talks to Azure Resource Manager with the Azure SDK for Go (azcore,
// azidentity, armcompute/v8 and armnetwork/v8), authenticated by
// DefaultAzureCredential: environment variables, workload or managed
// identity, or the Azure CLI's login. No credential is ever a setting.
//
// A provider block names a subscription, a resource group, a location and
// the subnet the VMs' network interfaces join. What a VM is here:
//
//   - an Azure VM with a network interface of its own (named "<vm>-nic",
//     private address only) and a managed OS disk, both deleted with the VM;
//   - made from the template's image: a marketplace URN
//     (publisher:offer:sku:version) or an image resource ID;
//   - of a VM size: the template's vm_size when given, otherwise the
//     cheapest size in this package's table (sizes.go) with at least the
//     vCPUs and memory asked for;
//   - identified by its Azure resource ID, spelled in lower case but for
//     the fixed segments (ids.go); another spelling is refused;
//   - carrying NovaCron's record in its tags (record.go): the ownership
//     marker, the vCPUs and memory asked for, the template ID. The tags are
//     part of the create request, so a VM carries its marker from the
//     moment it exists.
//
// Inventory is bulk: one paged list of the resource group's VMs with their
// instance view (power state), never a call per VM. Azure has no hosts a
// user can choose, so Inventory lists none and VM.Host is empty.
//
// Create, update, delete, start and deallocate run through the SDK's
// long-running-operation pollers; every call has a deadline
// (operation_timeout). Throttling (429) and server errors are retried by
// the SDK's retry policy, honouring Retry-After, under the engine's
// per-provider rate limit. A resize restarts the VM, and the OS disk grows
// only while the VM is deallocated, so both need a restart; VMs cannot be
// moved between hosts (Migrate fails, and Capabilities say so).
//
// The package implements driver.Driver and nothing else of the engine. It
// deletes only VMs it is asked to by ID, and network interfaces it made
// itself when their VM's Create fails. Tests reach the SDK's own server
// fakes through FactoryWith (internal/azuretest keeps their state).
package azure
