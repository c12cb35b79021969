// Package hyperv is the driver of Hyper-V hosts over WinRM, registered as
// type "hyperv".
//
// It speaks WS-Management through github.com/masterzen/winrm (https by
// default; NTLM or Basic) to one endpoint, and runs one PowerShell script
// per operation there (scripts/*.ps1, embedded): Get-VM for every host in
// one script for the inventory, New-VM with a differencing disk of the
// template's VHDX, Set-VMProcessor/Set-VMMemory/Resize-VHD, Start-VM and
// Stop-VM, Remove-VM with its own disks, Move-VM between hosts. The
// scripts are constant text: values reach them only as JSON in their
// first line. Each writes "step:" lines as it goes, so a script stopped by
// wait_timeout names the step it hung in, and one "result:" (or "error:")
// line of JSON. NovaCron's record (marker, tags, template) is kept in the
// VM's Notes, after any text of the user's. A VM's id is its VMId GUID in
// lower case.
//
// It imports nothing of the engine but engine/driver, and keeps no
// session: each call opens a WinRM shell of its own (with NTLM, on a
// connection of its own). It remembers only the sizes of the template
// VHDX files it read.
package hyperv
