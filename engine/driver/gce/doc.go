// Package gce is the Google Compute Engine driver, registered as type
// "gce". It calls the REST API with google.golang.org/api/compute/v1, one
// client per provider shared by every call (no other package of NovaCron
// imports the client: its compile cost stays here).
//
// A provider block names a project (default: the credentials'), a zone or
// zones of one region to spread over, the network and subnetwork, and
// optionally an endpoint (a test server, a private endpoint: http only to
// a loopback address unless allow_unencrypted, as the bearer token would
// travel in clear). Credentials
// come from Application Default Credentials only (golang.org/x/oauth2/google:
// GOOGLE_APPLICATION_CREDENTIALS, gcloud's file, the metadata server),
// never from a setting. Open reads each zone (proving the credentials and
// the project), the network and the subnetwork; a refusal is an error
// naming the setting or where the credentials came from.
//
// What a VM is here:
//
//   - an instance whose boot disk is made from the template's image
//     (template gce { image = "projects/…/global/images/NAME" or
//     ".../family/FAMILY" }) at disk_gb, of the template's machine_type or
//     else the cheapest type of the package's table (sizes.go: its source
//     and date) with the VM's vCPUs and memory;
//   - identified by ZONE/NAME in lower case (another spelling is refused,
//     never resolved);
//   - carrying NovaCron's marker in labels (labels.go): each field base32
//     encoded in lower case and split over numbered labels, so any address
//     round-trips within the label rules; the size asked for in the label
//     novacron-size, the template's ID in the metadata item
//     novacron-template; the user's tags as labels (checked at plan time
//     by CheckCreate, which names every problem of a VM at once, and
//     refuses a name an unlabelled instance of the zone has: clash.go);
//   - in a zone, its host. Compute Engine places instances, so the
//     inventory lists no hosts, and instances do not migrate.
//
// Inventory is bulk: instances.list of the zone, or aggregatedList across
// zones, filtered by the marker label, in pages of 500; never a call per
// instance.
//
// Create sends a requestId, a UUID derived from the marker, the zone/name,
// a per-driver nonce and a per-name generation that Delete bumps, so
// retries of one Create make one instance and a replace is a new request.
// Every change answers a zone operation, polled with bounded backoff
// (poll_interval, wait_timeout) until DONE; an operation's errors are
// classified (QUOTA_EXCEEDED, ZONE_RESOURCE_POOL_EXHAUSTED: capacity). A
// new size is a new machine type: stop, setMachineType, start, only with a
// restart allowed; the boot disk grows online.
//
// The package implements driver.Driver, driver.IDCanonicalizer and
// driver.CreateChecker and nothing else of the engine. It deletes only
// instances it is asked to by id.
package gce
