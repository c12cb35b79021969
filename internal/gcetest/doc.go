// Package gcetest is a strict Compute Engine REST server (compute/v1) for
// tests, on 127.0.0.1 with an ephemeral port, with its own wire types (it
// shares no code with the client it tests).
//
// It serves what the gce driver calls: instances insert, get, list,
// aggregatedList, delete, stop, start, setMachineType and setLabels
// (label fingerprints checked); disks get and resize; zoneOperations.get,
// each poll moving an operation PENDING → RUNNING → DONE, its effect made
// at DONE; zones, machineTypes, images (and image families), networks and
// subnetworks get. Lists page with maxResults/pageToken and filter by
// label (`labels.KEY:*`, `labels.KEY = "VALUE"`). An insert's requestId
// is idempotent as Compute Engine's: the same requestId answers the same
// operation. Quota errors come on demand (Options.QuotaCPUs), and lost
// answers (LoseInsertAnswers).
//
// It is also the OAuth2 token endpoint of a service account key it writes
// (WriteCredentials): the real auth library signs a JWT, the server checks
// its signature and issues a token, and every API call must carry an
// issued token, else it is refused with Google's 401. Errors are Google's
// JSON ({"error":{"code":…,"message":…,"errors":[{"reason":…}]}}). Every
// call it does not know (method, path, query parameter, JSON field) is
// refused loudly with a Google error naming it, and recorded: tests fail
// on Unexpected.
package gcetest
