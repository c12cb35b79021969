// Package server is `nova-plan serve`: it composes the platform's HTTP
// face over an estate (a folder of spec folders, each a workspace) — the
// REST API (server/api), the dashboard (server/dashboard), the live status
// stream (server/live) and Prometheus metrics (server/metrics) — behind
// authentication and role checks (server/auth), request logging and panic
// recovery, and serves them with TLS when given a certificate, shutting
// down gracefully: no new connections, the requests in flight finished
// (bounded), then the runs in flight. One server serves a folder: Open
// holds its serve lock (ServeLockFile) until Close.
//
// It adds no engine logic: every change goes through server/estate, which
// plans and applies through engine/workspace under the workspace's lock,
// so the server never bypasses plans, locks, state or the audit history.
package server
