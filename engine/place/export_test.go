package place

// SetMaxSpreadIndexes sets how many spread indexes a cluster keeps, so
// tests reach eviction and the scan; the returned func restores it.
func SetMaxSpreadIndexes(n int) (restore func()) {
	old := maxSpreadIndexes
	maxSpreadIndexes = n
	return func() { maxSpreadIndexes = old }
}
