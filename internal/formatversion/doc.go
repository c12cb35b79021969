// Package formatversion reads the version field of a persisted format (a
// saved plan's format_version, the state journal's novacron_journal, the
// sealed envelope's novacron_sealed_state) the one way every reader of a
// format needs: a version NovaCron wrote is a whole number from 1, and
// anything else (0, -1, a string, 1e99, null, a missing field) is not an
// older or newer version but a damaged file.
//
// It only reads the raw JSON value: whether a version is older, current
// or newer, and the words around the refusal, are the format's own.
package formatversion
