// Package hypervtest is a strict WS-Management server for testing the
// hyperv driver: it answers the Windows Remote Shell protocol (shell
// Create, Command, Receive, Signal, Delete) over HTTPS (or http) with
// Basic and NTLMv2 (Negotiate, per connection as HTTP.sys) authentication,
// decodes each command's `powershell.exe
// -EncodedCommand` (UTF-16LE, base64), and runs the script against an
// in-memory Hyper-V model: hosts with CPU and memory, VMs, VHDX files,
// virtual switches.
//
// It does not interpret PowerShell. A script is its parameter line
// ($p = '<json>' | ConvertFrom-Json) and constant text, which the server
// recognises by its SHA-256 digest, pinned in a golden table (golden.go),
// and runs a Go model of it that writes the same "step:", "result:" and
// "error:" lines the script would. Any other script is refused with a
// WS-Management fault, as is any action or resource it does not know and
// any malformed message; each refusal is recorded for Unexpected, so a test fails on it. A
// changed script must change the table on purpose.
//
// Faults on demand: a wrong password is a 401 (as WinRM answers it); Hang
// makes a script block in a named step until the client signals it;
// NoMove makes Move-VM succeed without moving the VM; SetVM changes a VM
// behind the driver's back (Notes, a guest that ignores shutdown, a disk
// file gone); small Hosts run out of memory at Start-VM and Move-VM.
//
// It is test support: the driver's non-test code never imports it, and it
// does not import the winrm client it tests. It is safe for concurrent use
// and listens on 127.0.0.1 on an ephemeral port.
package hypervtest
