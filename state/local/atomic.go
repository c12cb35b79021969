package local

import (
	"os"
	"path/filepath"
)

// writeTemp writes data to a new temporary file (mode 0600) next to path,
// syncs it and returns its name: renamed over path, it replaces path
// atomically, and after a crash path holds the old or the new bytes once
// the directory is synced (syncDir). On error nothing is left behind.
func writeTemp(path string, data []byte) (name string, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return "", err
	}
	if _, err := tmp.Write(data); err != nil {
		return "", err // an *fs.PathError: "write PATH: …" names the file
	}
	if err := tmp.Sync(); err != nil {
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return tmp.Name(), nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync() // an error is an *fs.PathError, which names the folder
}
