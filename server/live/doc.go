// Package live streams the estate's run events to WebSocket clients at
// /ws/status (github.com/coder/websocket). A Hub fans events out to every
// subscriber through a bounded buffer each; a subscriber too slow to keep
// up is told it lagged and disconnected, so no client can stall a run.
package live
