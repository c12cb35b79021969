// Package api is the REST API under /api/v1: routes on the standard
// library's method and wildcard patterns, JSON in (strictly: one object,
// no unknown field, bounded in size) and out, errors as a JSON body with a
// status code (never a 500 for a client's mistake), and the OpenAPI 3
// document at /api/v1/openapi.json, which a test holds to the routes.
//
// Authenticate puts the caller's principal (server/auth) in the request's
// context; each handler checks the caller's role on the workspace before
// it looks anything up, then calls server/estate, which plans and applies
// through the engine. The API holds no state of its own but the audit
// log, to which it appends every request that could change something.
// It never writes a password, a token or a request body to a log.
package api
