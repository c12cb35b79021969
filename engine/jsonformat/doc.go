// Package jsonformat holds the JSON documents of docs/json-format.md that
// more than one face prints: the plan (nova-plan plan -json, the server's
// plans), the policies' input (the plan with the
// spec's fleets; policy.go), the inventory and the state. Adding fields
// is compatible; anything else bumps FormatVersion.
//
// Write escapes what a terminal or a reader would otherwise act on: C1
// controls and the characters that reorder or hide text.
package jsonformat
