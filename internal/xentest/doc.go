// Package xentest is a small, strict XenAPI (XenServer / XCP-ng) server for
// tests and the examples/xen/xensim command. It speaks XenAPI's JSON-RPC
// 2.0 wire protocol over TLS (POST /jsonrpc; params positional, the
// session reference first; errors as {"code":1,"message":CODE,"data":[…]})
// from its own wire types: it shares nothing with the driver it tests.
//
// It keeps a pool in memory: its master, hosts with their metrics and
// control domains, storage repositories, a network, templates (with a
// disk and a CD drive on an ISO), VMs with their VBDs, VDIs and VIFs, and
// tasks. Async.* calls return a task that stays pending for a few polls of
// task.get_record and then does its work. It checks what XAPI checks for
// the calls it serves: the session (SESSION_INVALID after logout or
// ExpireSessions), the number of parameters
// (MESSAGE_PARAMETER_COUNT_MISMATCH), references (HANDLE_INVALID), the
// power state a call needs (VM_BAD_POWER_STATE), memory and vCPU limits,
// free host memory (HOST_NOT_ENOUGH_FREE_MEMORY). A method it does not
// serve fails loudly with MESSAGE_METHOD_UNKNOWN and is recorded, so a
// test can fail on Unexpected.
//
// Tests inject faults: any error code for the next calls of a method,
// expired sessions, a pool_migrate that reports success and moves nothing
// (cloudtemple #355), a guest that ignores clean_shutdown.
//
// It is not XAPI: its wire details follow the published XenAPI
// documentation and are not checked against a real host (see
// docs/drivers/xen.md). It imports nothing of the engine.
package xentest
