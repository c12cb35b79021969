// Package estate is what `nova-plan serve` serves: the spec folders under
// one root, each a workspace (engine/workspace), and the operations the
// API and the dashboard run on them. Every change is a plan made by the
// engine and applied by its executor under the workspace's lock, recorded
// in state and in the workspace's history with who asked for it; runs
// outlive the request that started them and are waited for at Close.
//
// It keeps the last inventory of every workspace, refreshed after each
// apply and on request, so listing VMs reads memory, not hypervisors.
package estate
