// Package clitest builds the nova-plan binary and runs it in tests, as a
// user would: the end-to-end tests of the CLI and of each driver share it.
// A driver's tests keep a CLI built by Main in TestMain and run it (Run,
// Plan, Inventory, Managed, NoChanges); Refused checks a run refused for
// bad input; ApplyBulk, CheckListed and BenchInventoryAndPlan are the
// steps of a bulk test; Example, BuildCommand and StartSimulator run the
// examples/ folder's specs and simulators as their READMEs say.
// It is for tests only and imports nothing of the engine.
package clitest
