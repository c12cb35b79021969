// Package dashboard is the web dashboard at /: server-rendered Go
// templates with embedded assets (no build step): fleets and VMs per
// provider with power and host, a plan view with each change's reasons and
// the graph, apply progress live from /ws/status, and history. It reads
// and acts through server/estate only, as the API does.
package dashboard
