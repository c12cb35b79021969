// Package clitest builds the nova-plan binary and runs it in tests, as a
// user would: the end-to-end tests of the CLI and of each driver share it.
// It is for tests only and imports nothing of the engine.
package clitest
