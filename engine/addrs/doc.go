// Package addrs is NovaCron's one typed address of a fleet and of a VM in
// it, as terraform's addrs package is Terraform's: Module (the root, or a
// path of module calls: module.web, module.env["prod"].module.db), Fleet
// (fleet.web, vm.db-01, module.web.fleet.web), Key (none, a count index, a
// for_each key) and Instance (fleet.web[2], fleet.web["a"], vm.db-01,
// module.env["prod"].fleet.web[0]); Target is what -target and the state
// commands select (a module, a fleet or a VM). It parses them with errors
// a user can act on, formats them in the one canonical form that plans,
// state and markers hold as strings, and orders them (the root's fleets
// first, then module by module; count indexes in number order). Endpoint
// is what a moved or removed block's from and to name (a whole fleet, one
// VM, either in a module, or a module call or instance: endpoint.go), read
// from an HCL traversal (traversal.go).
//
// It must import nothing of the project: the spec builds addresses with it,
// and state, which must not import the engine, checks them with it.
// Addresses stay strings in documents (state, plan files, markers); this
// package is how they are made and read.
package addrs
