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

// A file is read into one buffer sized from its Stat, not grown by
// doubling: reading n bytes allocates about n bytes.
func TestReadAllocatesFileSize(t *testing.T) {
	const size = 4 << 20
	path := filepath.Join(t.TempDir(), "big")
	want := make([]byte, size)
	for i := range want {
		want[i] = byte(i)
	}
	if err := os.WriteFile(path, want, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path, 64<<20)
	if err != nil || string(got) != string(want) {
		t.Fatalf("Read = %d bytes, %v; want the %d bytes written", len(got), err, size)
	}
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := Read(path, 64<<20); err != nil {
				b.Fatal(err)
			}
		}
	})
	if per := res.AllocedBytesPerOp(); per > size+64<<10 {
		t.Errorf("Read of %d bytes allocated %d bytes per call; want about the file's size", size, per)
	}
}

// A file that grows between Stat and the read is read to its end, and
// refused once past the bound.
func TestReadAllGrowsPastStat(t *testing.T) {
	body := strings.Repeat("x", 2000)
	data, err := readAll(strings.NewReader(body), 10, 1<<20)
	if err != nil || string(data) != body {
		t.Errorf("readAll of 2000 bytes with a stat of 10: %d bytes, %v", len(data), err)
	}
}

func BenchmarkRead(b *testing.B) {
	path := filepath.Join(b.TempDir(), "state.json")
	if err := os.WriteFile(path, make([]byte, 24<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(24 << 20)
	for range b.N {
		if _, err := Read(path, 256<<20); err != nil {
			b.Fatal(err)
		}
	}
}
