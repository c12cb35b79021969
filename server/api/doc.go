// Package api is the REST API under /api/v1: routes on the standard
// library's method and wildcard patterns, JSON in and out, errors as a
// JSON body with a status code (never a 500 for a client's mistake), and
// the OpenAPI 3 document at /api/v1/openapi.json, which a test checks
// against the routes. Each handler checks the caller's role through
// server/auth and calls server/estate; it holds no state of its own.
package api
