// Package live streams the estate's run events to WebSocket clients at
// /ws/status (github.com/coder/websocket). A Hub fans events out to every
// subscriber through a bounded buffer each; a subscriber too slow to keep
// up is told it lagged and disconnected, so no client can stall a run.
//
// Hub.Publish is the estate's Options.Events: it never blocks. The Hub is
// also the /ws/status handler; it trusts the caller to have authenticated
// the request (auth.From) and filters events by the principal's read
// permission, authenticating the request again with Options.Reauth at
// each ping and every ReauthInterval (closing with 1008 when that fails,
// narrowing the stream when the roles did). It must not start a goroutine it does not wait for:
// Hub.Close closes every client normally and returns once each handler is
// done. See docs/live.md for the protocol.
package live
