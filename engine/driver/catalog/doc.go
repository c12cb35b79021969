// Package catalog lists the drivers built into NovaCron's binaries. It is
// the one place that imports every driver; the engine itself knows drivers
// only through driver.Registry.
package catalog
