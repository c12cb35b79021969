// Package tmpfs mounts small tmpfs file systems for tests that need a disk
// to really fill up (ENOSPC from the kernel, not an injected error). It needs
// root on Linux, and fails the test with a message naming what is missing
// when it cannot mount. It is for tests only and imports nothing of the
// engine.
package tmpfs
