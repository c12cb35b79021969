package place

// SetMaxSpreadIndexes sets how many spread indexes a cluster keeps, so
// tests reach eviction and the scan; the returned func restores it.
func SetMaxSpreadIndexes(n int) (restore func()) {
	old := maxSpreadIndexes
	maxSpreadIndexes = n
	return func() { maxSpreadIndexes = old }
}

// SetParallelPackItems sets the least batch whose packing strategies run
// concurrently; the returned func restores it.
func SetParallelPackItems(n int) (restore func()) {
	old := parallelPackItems
	parallelPackItems = n
	return func() { parallelPackItems = old }
}
