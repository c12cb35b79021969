// Package driver defines the contract between the NovaCron engine and the
// systems that run virtual machines: the Driver interface, the VM, Host and
// Inventory types every driver speaks, the error kinds the executor acts on
// (transient, permanent, not-found, capacity), the ownership Marker written on
// every VM NovaCron creates, and a Registry of driver factories. It also holds
// what every driver would otherwise copy: a Config's defaults and checks
// (Config.SetDefaults, Resolve), a VM with Changes applied (Changes.Apply),
// the cheapest machine size of a cloud's table that fits a VM
// (SizeTable.CheapestFit; each cloud driver keeps its own table), the
// Checks of settings drivers declare alike (NonEmpty, PositiveDuration, …),
// settings that fall back to environment variables (EnvFallback), the
// error for a server certificate that cannot be verified
// (UntrustedCertificate), the size a cloud driver records on an instance
// (SizeChoice), and the adapter from a driver package's Open to
// Factory.Open (Opener).
// Optional interfaces a driver may implement: IDCanonicalizer (ids in
// several spellings), CreateChecker (what Create would refuse, told at
// plan time), SharedLister (an inventory listed without a copy per call,
// for callers that change none of it: a plan; ReadShared), TableLister (such
// an inventory with the VMs in the driver's compact VMTable, made into VMs
// one at a time as they are read: a plan of a large estate; ReadCompact,
// table.go), Discarder (a
// refused command leaves the driver's files as they were) and Noter (what
// Close changed in the driver's files that the user should hear of, such
// as a move to a newer format) and UtilizationReader (what the VMs use,
// for `nova-plan rebalance`; utilization.go).
//
// It owns no engine logic: drivers import this package and nothing else of
// the engine, and this package imports nothing of the engine. The conformance
// suite every driver must pass lives in drivertest.
package driver
