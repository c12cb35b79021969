package regularfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path  string
		limit int64
		want  string // contents, or the error's words
	}{
		{small, 5, "hello"},
		{link, 5, "hello"},
		{small, 4, "is larger than 4 bytes"},
		{dir, 1 << 20, "is a folder, not a regular file"},
		{"/dev/zero", 1 << 20, "/dev/zero is a character device, not a regular file"},
		{filepath.Join(dir, "missing"), 1, "no such file"},
	} {
		data, err := Read(tc.path, tc.limit)
		got := string(data)
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("Read(%s, %d) = %q; want %q", tc.path, tc.limit, got, tc.want)
		}
	}
}

func TestReadTooLargeIsTyped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(path, make([]byte, 3<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(path, 2<<20)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 2<<20 || !strings.Contains(err.Error(), "2 MiB") {
		t.Errorf("Read of a 3 MiB file with a 2 MiB bound: %v", err)
	}
}
