package libvirt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
)

// This file writes the smallest ISO 9660 image cloud-init's NoCloud source
// reads: one root folder of small files, with Rock Ridge names so the
// guest sees "user-data" and "meta-data" rather than 8.3 names.
// (github.com/kdomanski/iso9660 writes no Rock Ridge, and its mangled
// names are not the ones NoCloud looks for.)

const sector = 2048

// isoFile is one file of the image.
type isoFile struct {
	name string // the Rock Ridge name
	data []byte
}

// Fixed sectors of the layout: system area 0–15, then the descriptors, the
// path tables and the root folder; file data follows.
const (
	pvdSector    = 16
	termSector   = 17
	lPathSector  = 18
	mPathSector  = 19
	rootSector   = 20
	firstFileLBA = 21
)

// buildISO returns an image with the volume label and files.
func buildISO(label string, files []isoFile) ([]byte, error) {
	files = append([]isoFile(nil), files...)
	sort.Slice(files, func(i, j int) bool { return isoName(files[i].name) < isoName(files[j].name) })
	lbas := make([]uint32, len(files))
	next := uint32(firstFileLBA)
	for i, f := range files {
		lbas[i] = next
		next += uint32((len(f.data) + sector - 1) / sector)
	}
	root, err := rootFolder(files, lbas)
	if err != nil {
		return nil, err
	}
	img := make([]byte, int(next)*sector)
	copy(img[pvdSector*sector:], pvd(label, next))
	copy(img[termSector*sector:], []byte{255, 'C', 'D', '0', '0', '1', 1})
	copy(img[lPathSector*sector:], pathTable(binary.LittleEndian))
	copy(img[mPathSector*sector:], pathTable(binary.BigEndian))
	copy(img[rootSector*sector:], root)
	for i, f := range files {
		copy(img[int(lbas[i])*sector:], f.data)
	}
	return img, nil
}

// rootFolder is the root folder's records: ".", "..", then the files.
func rootFolder(files []isoFile, lbas []uint32) ([]byte, error) {
	var b bytes.Buffer
	b.Write(record([]byte{0}, rootSector, sector, true, rootSystemUse()))
	b.Write(record([]byte{1}, rootSector, sector, true, nil))
	for i, f := range files {
		b.Write(record([]byte(isoName(f.name)), lbas[i], uint32(len(f.data)), false, nameSystemUse(f.name)))
	}
	if b.Len() > sector {
		return nil, fmt.Errorf("too many files for a one-sector root folder")
	}
	return b.Bytes(), nil
}

// record is one directory record (ECMA-119 9.1) with System Use entries.
func record(id []byte, lba, size uint32, dir bool, systemUse []byte) []byte {
	n := 33 + len(id)
	pad := n % 2
	r := make([]byte, n+pad+len(systemUse))
	r[0] = byte(len(r))
	putBoth32(r[2:], lba)
	putBoth32(r[10:], size)
	copy(r[18:25], []byte{100, 1, 1, 0, 0, 0, 0}) // 2000-01-01 00:00 UTC: reproducible images
	if dir {
		r[25] = 2
	}
	putBoth16(r[28:], 1)
	r[32] = byte(len(id))
	copy(r[33:], id)
	copy(r[n+pad:], systemUse)
	return r
}

// rootSystemUse marks the image as using SUSP and Rock Ridge: SP, then ER.
func rootSystemUse() []byte {
	sp := []byte{'S', 'P', 7, 1, 0xBE, 0xEF, 0}
	id := "RRIP_1991A"
	er := append([]byte{'E', 'R', byte(8 + len(id)), 1, byte(len(id)), 0, 0, 1}, id...)
	return append(append(sp, er...), px(0o040555)...)
}

// nameSystemUse gives a file its Rock Ridge name and mode.
func nameSystemUse(name string) []byte {
	nm := append([]byte{'N', 'M', byte(5 + len(name)), 1, 0}, name...)
	return append(nm, px(0o100444)...)
}

// px is a Rock Ridge POSIX attributes entry (RRIP 1.09 form).
func px(mode uint32) []byte {
	e := make([]byte, 36)
	copy(e, []byte{'P', 'X', 36, 1})
	putBoth32(e[4:], mode)
	putBoth32(e[12:], 1) // links
	return e
}

// isoName is a file's 8.3 name in the primary hierarchy.
func isoName(name string) string {
	base := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, name)
	return base[:min(8, len(base))] + ".;1"
}

// pvd is the primary volume descriptor (ECMA-119 8.4).
func pvd(label string, sectors uint32) []byte {
	d := make([]byte, sector)
	d[0], d[6] = 1, 1
	copy(d[1:6], "CD001")
	copy(d[8:40], pad("", 32))
	copy(d[40:72], pad(label, 32))
	putBoth32(d[80:], sectors)
	putBoth16(d[120:], 1)
	putBoth16(d[124:], 1)
	putBoth16(d[128:], sector)
	putBoth32(d[132:], 10)
	binary.LittleEndian.PutUint32(d[140:], lPathSector)
	binary.BigEndian.PutUint32(d[148:], mPathSector)
	copy(d[156:190], record([]byte{0}, rootSector, sector, true, nil))
	copy(d[190:813], pad("", 813-190))
	for _, off := range []int{813, 830, 847, 864} {
		copy(d[off:off+17], "0000000000000000\x00")
	}
	d[881] = 1
	return d
}

// pathTable is a path table of the root folder alone.
func pathTable(order binary.ByteOrder) []byte {
	t := make([]byte, 10)
	t[0] = 1
	order.PutUint32(t[2:], rootSector)
	order.PutUint16(t[6:], 1)
	return t
}

func pad(s string, n int) string { return s + strings.Repeat(" ", n-len(s)) }

func putBoth16(b []byte, v uint16) {
	binary.LittleEndian.PutUint16(b, v)
	binary.BigEndian.PutUint16(b[2:], v)
}

func putBoth32(b []byte, v uint32) {
	binary.LittleEndian.PutUint32(b, v)
	binary.BigEndian.PutUint32(b[4:], v)
}
