// Command layout checks that the code keeps the layout docs/design.md
// draws: which packages may import which, and that one package composes an
// operation. `make lint` runs it (go run ./internal/layout); its tests run
// the same check on the module, so `go test ./...` enforces it too.
//
// A rule can be pending: its violations are printed as warnings and do not
// fail, until the work that removes them lands and the rule's pending note
// is deleted (rules.go). NOVA_LAYOUT_STRICT=1 makes pending rules fail too.
//
// It reads packages with `go list` and parses source files with go/parser;
// it builds nothing and must not import the project.
package main
