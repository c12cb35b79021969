package regularfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// NotRegularError is a path that names something other than a regular
// file (after symbolic links).
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, kind(e.Mode))
}

// TooLargeError is a regular file larger than the bound its reader set.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s, the most this file may hold", e.Path, Size(e.Limit))
}

// Read returns the contents of the regular file at path, of at most limit
// bytes. The file is opened without blocking (a FIFO would otherwise wait
// for a writer) and checked once open, so nothing swapped in between a
// check and the open is read.
func Read(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, Mode: info.Mode()}
	}
	if info.Size() > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	data, err := readAll(io.LimitReader(f, limit+1), info.Size(), limit)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit { // it grew since Stat
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return data, nil
}

// readAll reads r to its end into a buffer sized from the file's size at
// Stat, as os.ReadFile does: one allocation and no copies for a file that
// did not change, where io.ReadAll would double its buffer from 512 bytes
// (a 24 MB state twice over). One byte more than size lets the first read
// see EOF; a file that grew since Stat is still read to its end (r bounds
// it).
func readAll(r io.Reader, size, limit int64) ([]byte, error) {
	n := size + 1
	if n < 512 {
		n = 512
	}
	if n > limit+1 {
		n = limit + 1
	}
	data := make([]byte, 0, n)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grow: the file grew
		}
		m, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+m]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// kind names a file mode for a message: "a folder", "a character device".
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "of an unusual kind"
}

// Size writes a byte count in binary units: "64 MiB", "1 GiB".
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
