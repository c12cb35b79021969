// Package gce is the Google Compute Engine instances (REST API) driver, registered as type "gce".
//
// Work in progress (issue 14): the factory is registered so that nova-plan
// and the Terraform provider list the type; Open refuses until the driver
// lands.
package gce
