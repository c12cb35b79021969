package tmpfs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// Mount mounts a tmpfs on dir (created if needed) with the given options,
// such as "size=64k" or "nr_inodes=50", and unmounts it when the test ends.
func Mount(t testing.TB, dir, options string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "mode=0700,"+options); err != nil {
		t.Fatalf("this test fills a small tmpfs to get a real ENOSPC, and mounting one on %s failed: %v "+
			"(it needs root, or CAP_SYS_ADMIN, on Linux)", dir, err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmounting the tmpfs on %s: %v", dir, err)
		}
	})
}

// Fill takes the free space of the file system holding dir, byte by byte
// (a file grows until ENOSPC), and returns a function that frees it again.
func Fill(t testing.TB, dir string) (free func()) {
	t.Helper()
	path := filepath.Join(dir, "fill-bytes")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatalf("filling %s: %v", dir, err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for err == nil {
		_, err = f.Write(chunk)
	}
	if !errors.Is(err, unix.ENOSPC) {
		t.Fatalf("filling %s: got %v, want ENOSPC", dir, err)
	}
	return func() { removeAll(t, path) }
}

// FillInodes creates empty files in dir until the file system has no inode
// left, and returns a function that removes them. Existing files can still
// grow; creating a file fails with ENOSPC.
func FillInodes(t testing.TB, dir string) (free func()) {
	t.Helper()
	var paths []string
	for i := 0; ; i++ {
		path := filepath.Join(dir, fmt.Sprintf("fill-inode-%d", i))
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, unix.ENOSPC) {
			break
		}
		if err != nil {
			t.Fatalf("filling the inodes of %s: %v", dir, err)
		}
		f.Close()
		paths = append(paths, path)
	}
	return func() { removeAll(t, paths...) }
}

func removeAll(t testing.TB, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if err := os.Remove(p); err != nil {
			t.Errorf("freeing space: %v", err)
		}
	}
}
