package secret

import (
	"fmt"
	"sync"

	"golang.org/x/crypto/argon2"
)

// maxCached bounds the digests a process keeps: a plan needs one per
// distinct (salt, value) of its templates, a handful.
const maxCached = 1024

// digests keeps the argon2id results template digests need, so that a
// plan of 10,000 VMs sealed with one salt computes one (tens of
// milliseconds and 19 MiB each) instead of 10,000.
var digests = &digestCache{m: map[string][]byte{}}

// digestCache is safe for concurrent use (the Terraform provider plans
// resources at once).
type digestCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

// key returns argon2id(value, salt) of cost c and length n.
func (dc *digestCache) key(c Cost, salt []byte, value string, n uint32) []byte {
	k := fmt.Sprintf("%d,%d,%d,%d,%x\x00%s", c.MemoryKiB, c.Time, c.Threads, n, salt, value)
	dc.mu.Lock()
	sum, ok := dc.m[k]
	dc.mu.Unlock()
	if ok {
		return sum
	}
	sum = argon2.IDKey([]byte(value), salt, c.Time, c.MemoryKiB, c.Threads, n)
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if len(dc.m) >= maxCached {
		clear(dc.m)
	}
	dc.m[k] = sum
	return sum
}

// computed is how many digests the cache holds; tests read it.
func (dc *digestCache) computed() int {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	return len(dc.m)
}
