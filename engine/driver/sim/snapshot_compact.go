package sim

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"

	"github.com/novacron/novacron/engine/driver"
)

// The compact snapshot sim-NAME.snap is two gob values: a header, then the
// cluster as columns. Strings that many VMs share (hosts, templates, power
// states, lineages, whole tag sets) are stored once and referred to by
// index, so a snapshot of 100,000 VMs reads with a few allocations per VM,
// and the records read share those strings and tag maps (records are never
// changed in place).
const (
	compactMagic   = "novacron sim snapshot"
	compactVersion = 1
)

type compactHeader struct {
	Magic   string
	Version int
}

// columns is the cluster in a compact snapshot: column i of every VM slice
// is the i-th VM in ID order.
type columns struct {
	LastID  int64
	Hosts   []hostRecord
	Shared  []string // strings that Host, Template, Power and Lineage index
	TagSets []tagSet // tag maps that Tags indexes

	ID, Name              []string
	Host, Template, Power []int32
	CPU, DiskGB           []int
	MemoryMiB             []int64
	Tags                  []int32 // -1: no tags
	Marked                []bool  // the VM has a marker: Address, Lineage, SpecHash
	Address, SpecHash     []string
	Lineage               []int32
}

// tagSet is a tag map as parallel slices, sorted by key.
type tagSet struct{ Keys, Values []string }

// readCompact reads the compact snapshot at path. gob reads the file
// itself: it copies each value into a buffer of its own, so reading the
// file whole first would hold the snapshot twice.
func readCompact(path string) (*cluster, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := decodeCompactFrom(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("reading snapshot %s: %w", path, err)
	}
	return c, nil
}

// decodeCompact returns the cluster of a compact snapshot.
func decodeCompact(data []byte) (*cluster, error) {
	return decodeCompactFrom(bytes.NewReader(data))
}

// decodeCompactFrom returns the cluster of the compact snapshot r holds.
// r is an io.ByteReader, so that gob reads no further than the snapshot.
func decodeCompactFrom(r io.Reader) (*cluster, error) {
	dec := gob.NewDecoder(r)
	var h compactHeader
	if err := dec.Decode(&h); err != nil || h.Magic != compactMagic {
		return nil, fmt.Errorf("not a snapshot of the simulated provider")
	}
	if h.Version < compactVersion {
		return nil, fmt.Errorf("damaged: format version %d is not a version NovaCron writes", h.Version)
	}
	if h.Version != compactVersion {
		return nil, fmt.Errorf("format version %d; this NovaCron reads version %d: upgrade nova-plan to read it", h.Version, compactVersion)
	}
	var cols columns
	if err := dec.Decode(&cols); err != nil {
		return nil, err
	}
	if err := cols.check(); err != nil {
		return nil, err
	}
	return cols.cluster(), nil
}

// check makes sure every column has one value per VM and every index is in
// range, so that a damaged file is an error and not a panic.
func (cols *columns) check() error {
	n := len(cols.ID)
	for _, l := range []int{len(cols.Name), len(cols.Host), len(cols.Template), len(cols.Power),
		len(cols.CPU), len(cols.DiskGB), len(cols.MemoryMiB), len(cols.Tags), len(cols.Marked),
		len(cols.Address), len(cols.SpecHash), len(cols.Lineage)} {
		if l != n {
			return fmt.Errorf("damaged: columns of %d and %d VMs", n, l)
		}
	}
	shared, tags := int32(len(cols.Shared)), int32(len(cols.TagSets))
	for i := range n {
		if !inRange(shared, cols.Host[i], cols.Template[i], cols.Power[i], cols.Lineage[i]) ||
			cols.Tags[i] < -1 || cols.Tags[i] >= tags {
			return fmt.Errorf("damaged: VM %d refers to a shared string or tag set that is not there", i)
		}
	}
	for _, ts := range cols.TagSets {
		if len(ts.Keys) != len(ts.Values) {
			return fmt.Errorf("damaged: a tag set of %d keys and %d values", len(ts.Keys), len(ts.Values))
		}
	}
	return nil
}

func inRange(n int32, idx ...int32) bool {
	for _, i := range idx {
		if i < 0 || i >= n {
			return false
		}
	}
	return true
}

// cluster returns the cluster the columns hold, its records not made yet
// (cluster.records makes them when first needed). Columns not in ID order
// (NovaCron writes them in order) are made into records at once, in order.
func (cols *columns) cluster() *cluster {
	c := newCluster()
	c.lastID = cols.LastID
	if cols.inOrder() {
		c.cols = cols
	} else {
		for _, r := range cols.records() {
			c.put(r)
		}
	}
	c.setHosts(fromHostRecords(cols.Hosts))
	return c
}

// inOrder reports whether the IDs are in ID order, each once.
func (cols *columns) inOrder() bool {
	for i := 1; i < len(cols.ID); i++ {
		if compareIDs(cols.ID[i-1], cols.ID[i]) >= 0 {
			return false
		}
	}
	return true
}

// tagMaps returns the tag sets as maps, one map per set.
func (cols *columns) tagMaps() []map[string]string {
	out := make([]map[string]string, len(cols.TagSets))
	for i, ts := range cols.TagSets {
		out[i] = make(map[string]string, len(ts.Keys))
		for j, k := range ts.Keys {
			out[i][k] = ts.Values[j]
		}
	}
	return out
}

// records returns the records the columns hold, in ID order, in one
// block; they share the tag maps of one tag set.
func (cols *columns) records() []*vmRecord {
	n := len(cols.ID)
	tagMaps := cols.tagMaps()
	order := make([]*vmRecord, n)
	recs := make([]vmRecord, n)
	markers := make([]driver.Marker, n)
	for i := range recs {
		r := &recs[i]
		*r = vmRecord{
			ID: cols.ID[i], Name: cols.Name[i], Host: cols.Shared[cols.Host[i]],
			CPU: cols.CPU[i], MemoryMiB: cols.MemoryMiB[i], DiskGB: cols.DiskGB[i],
			Power: driver.Power(cols.Shared[cols.Power[i]]), Template: cols.Shared[cols.Template[i]],
		}
		if t := cols.Tags[i]; t >= 0 {
			r.Tags = tagMaps[t]
		}
		if cols.Marked[i] {
			markers[i] = cols.marker(i)
			r.Marker = &markers[i]
		}
		order[i] = r
	}
	return order
}

func (cols *columns) marker(i int) driver.Marker {
	return driver.Marker{Address: cols.Address[i], Lineage: cols.Shared[cols.Lineage[i]], SpecHash: cols.SpecHash[i]}
}

// toVMs returns the VMs the columns hold, as toVMs returns records': they
// share no memory with the columns but their strings (which never change),
// the markers, the addresses and their text in one block each, one copy
// of each tag set.
func (cols *columns) toVMs() []driver.VM {
	n := len(cols.ID)
	tagMaps := cols.tagMaps()
	vms := make([]driver.VM, n)
	markers := make([]driver.Marker, n)
	addrs := cols.addresses()
	for i := range vms {
		vm := &vms[i]
		*vm = driver.VM{
			ID: cols.ID[i], Name: cols.Name[i], Host: cols.Shared[cols.Host[i]],
			CPU: cols.CPU[i], MemoryMiB: cols.MemoryMiB[i], DiskGB: cols.DiskGB[i],
			Power: driver.Power(cols.Shared[cols.Power[i]]), Template: cols.Shared[cols.Template[i]],
		}
		if t := cols.Tags[i]; t >= 0 {
			vm.Tags = tagMaps[t]
		}
		if cols.Marked[i] {
			markers[i] = cols.marker(i)
			vm.Marker = &markers[i]
		}
		if addrs[i] != "" {
			vm.Addresses = addrs[i : i+1 : i+1]
		}
	}
	return vms
}

// addresses is each VM's address, "" for a VM that is not running; the
// addresses share one block of text.
func (cols *columns) addresses() []string {
	n := len(cols.ID)
	ends := make([]int, n)
	b := make([]byte, 0, 12*n)
	for i := range n {
		if driver.Power(cols.Shared[cols.Power[i]]) == driver.PowerRunning {
			b = appendAddress(b, cols.ID[i])
		}
		ends[i] = len(b)
	}
	addrs := make([]string, n)
	text, start := string(b), 0
	for i, end := range ends {
		addrs[i] = text[start:end]
		start = end
	}
	return addrs
}

// eachUse calls use with the host, vCPUs and memory of every VM.
func (cols *columns) eachUse(use func(host string, cpu int, mem int64)) {
	for i := range cols.ID {
		use(cols.Shared[cols.Host[i]], cols.CPU[i], cols.MemoryMiB[i])
	}
}

// encodeCompact writes c to w as a compact snapshot. gob makes each value
// whole in a buffer before it writes it (the columns are one write), and
// grows that buffer step by step, copying it each time: for 100,000 VMs
// that was most of what Close cost. The buffer is kept for the encoder's
// next value, so encodeCompact first encodes, to nothing, a []byte as
// large as the columns will be: it grows the buffer at once. A []byte is
// one of gob's own types (no type descriptor is sent or remembered), so
// what follows is exactly what a new encoder writes (TestEncodeCompactIsPlainGob).
func encodeCompact(w io.Writer, c *cluster) error {
	cols := toColumns(c)
	out := &redirect{w: io.Discard}
	enc := gob.NewEncoder(out)
	if err := enc.Encode(make([]byte, cols.sizeHint())); err != nil {
		return err
	}
	out.w = w
	if err := enc.Encode(compactHeader{Magic: compactMagic, Version: compactVersion}); err != nil {
		return err
	}
	return enc.Encode(cols)
}

// redirect writes to w, which can be changed between writes.
type redirect struct{ w io.Writer }

func (r *redirect) Write(p []byte) (int, error) { return r.w.Write(p) }

// sizeHint is about the size of the columns as gob encodes them: their
// strings, and a few bytes for each number and each string's length.
func (cols *columns) sizeHint() int {
	n := 64 * (len(cols.Hosts) + len(cols.Shared) + len(cols.TagSets))
	for _, col := range [][]string{cols.ID, cols.Name, cols.Address, cols.SpecHash, cols.Shared} {
		for _, s := range col {
			n += len(s)
		}
	}
	for _, ts := range cols.TagSets {
		for i := range ts.Keys {
			n += len(ts.Keys[i]) + len(ts.Values[i])
		}
	}
	return n + 24*len(cols.ID)
}

// toColumns returns the VMs of c, in ID order, as columns.
func toColumns(c *cluster) *columns {
	n := len(c.records())
	cols := &columns{
		LastID: c.lastID, Hosts: toHostRecords(c.hostList()),
		ID: make([]string, n), Name: make([]string, n),
		Host: make([]int32, n), Template: make([]int32, n), Power: make([]int32, n),
		CPU: make([]int, n), DiskGB: make([]int, n), MemoryMiB: make([]int64, n),
		Tags: make([]int32, n), Marked: make([]bool, n),
		Address: make([]string, n), SpecHash: make([]string, n), Lineage: make([]int32, n),
	}
	shared, tags := interner{}, tagInterner{}
	var template, power, lineage lastID // mostly one value for all VMs
	for i, r := range c.order {
		cols.ID[i], cols.Name[i] = r.ID, r.Name
		cols.Host[i], cols.Template[i], cols.Power[i] = shared.id(r.Host), template.id(&shared, r.Template), power.id(&shared, string(r.Power))
		cols.CPU[i], cols.DiskGB[i], cols.MemoryMiB[i] = r.CPU, r.DiskGB, r.MemoryMiB
		cols.Tags[i] = tags.id(r.Tags)
		var m driver.Marker
		if r.Marker != nil {
			m, cols.Marked[i] = *r.Marker, true
		}
		cols.Address[i], cols.SpecHash[i], cols.Lineage[i] = m.Address, m.SpecHash, lineage.id(&shared, m.Lineage)
	}
	cols.Shared, cols.TagSets = shared.list, tags.list
	return cols
}

// interner numbers distinct strings in the order it first sees them.
type interner struct {
	index map[string]int32
	list  []string
}

func (in *interner) id(s string) int32 {
	if i, ok := in.index[s]; ok {
		return i
	}
	if in.index == nil {
		in.index = map[string]int32{}
	}
	in.index[s] = int32(len(in.list))
	in.list = append(in.list, s)
	return in.index[s]
}

// lastID is the number in that interner of the string a column last held,
// so that a column of one value looks it up once.
type lastID struct {
	s  string
	n  int32
	ok bool
}

func (l *lastID) id(in *interner, s string) int32 {
	if !l.ok || l.s != s {
		*l = lastID{s: s, n: in.id(s), ok: true}
	}
	return l.n
}

// tagInterner numbers distinct tag maps; an empty map is -1, as none.
type tagInterner struct {
	forms  interner // the canonical forms of the maps numbered
	list   []tagSet
	buf    []byte
	last   map[string]string // the map numbered last: VMs of a fleet have equal tags
	lastID int32
}

func (t *tagInterner) id(tags map[string]string) int32 {
	if len(tags) == 0 {
		return -1
	}
	if t.last != nil && maps.Equal(t.last, tags) {
		return t.lastID
	}
	t.last, t.lastID = tags, t.number(tags)
	return t.lastID
}

// number returns the number of tags, numbering it if it is new.
func (t *tagInterner) number(tags map[string]string) int32 {
	keys := slices.Sorted(maps.Keys(tags))
	t.buf = t.buf[:0]
	for _, k := range keys {
		t.buf = strconv.AppendQuote(strconv.AppendQuote(t.buf, k), tags[k])
	}
	i := t.forms.id(string(t.buf))
	if int(i) == len(t.list) {
		ts := tagSet{Keys: keys, Values: make([]string, len(keys))}
		for j, k := range keys {
			ts.Values[j] = tags[k]
		}
		t.list = append(t.list, ts)
	}
	return i
}
