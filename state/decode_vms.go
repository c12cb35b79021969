package state

import (
	"bytes"
	"fmt"
	"slices"
)

// vms reads the object of VM records by address.
func (r *reader) vms() (map[string]*VM, string) {
	c := r.peek()
	switch c {
	case '{':
	case 'n':
		r.literal()
		return nil, "is null"
	default:
		r.skip()
		return nil, "must be an object of VM records, but it is " + kindOf(c)
	}
	vms := make(map[string]*VM, min(r.size/256, 1<<20))
	start := r.i
	r.object(func(key []byte, at int) {
		addr := string(key)
		if _, dup := vms[addr]; dup {
			r.duplicateKey("vms", addr, r.keyBefore(start, at, key), at)
		}
		vms[addr] = r.record(addr)
	})
	return vms, ""
}

// keyBefore returns the offset of the first "key": in data[from:to], or
// -1 when the key is written there in another spelling.
func (r *reader) keyBefore(from, to int, key []byte) int {
	if r.src != nil { // offsets are the window's; the read stops at the problem
		return -1
	}
	quoted := append(append([]byte{'"'}, key...), '"')
	for i := from; i < to; {
		j := bytes.Index(r.data[i:to], quoted)
		if j < 0 {
			return -1
		}
		k := i + j + len(quoted)
		for k < to && (r.data[k] == ' ' || r.data[k] == '\t' || r.data[k] == '\n' || r.data[k] == '\r') {
			k++
		}
		if k < to && r.data[k] == ':' {
			return i + j
		}
		i = k
	}
	return -1
}

// The fields of a VM record, by index.
const (
	vmProvider = iota
	vmID
	vmFleet
	vmName
	vmHost
	vmCPU
	vmMemory
	vmDisk
	vmPower
	vmTemplate
	vmTags
	vmSpecHash
	vmDependsOn
	vmFields
)

// vmField returns the index of a record's field, or -1.
func vmField(key []byte) int {
	switch string(key) {
	case "provider":
		return vmProvider
	case "id":
		return vmID
	case "fleet":
		return vmFleet
	case "name":
		return vmName
	case "host":
		return vmHost
	case "cpu":
		return vmCPU
	case "memory_mib":
		return vmMemory
	case "disk_gb":
		return vmDisk
	case "power":
		return vmPower
	case "template":
		return vmTemplate
	case "tags":
		return vmTags
	case "spec_hash":
		return vmSpecHash
	case "depends_on":
		return vmDependsOn
	}
	return -1
}

// record reads the record of addr; a record that is null or not an object
// is nil (and reported).
func (r *reader) record(addr string) *VM {
	switch c := r.peek(); c {
	case '{':
	case 'n':
		r.literal() // Validate reports it
		return nil
	default:
		at := r.i
		r.skip()
		r.check(field(addr), "must be a VM record (an object), but it is "+kindOf(c), at)
		return nil
	}
	vm := r.newVM()
	var seen [vmFields]int // offset+1 of each field's key
	var unknown map[string]int
	r.object(func(key []byte, at int) {
		i := vmField(key)
		if i < 0 {
			unknown = r.unknownRecordField(addr, key, at, unknown)
			return
		}
		if seen[i] > 0 {
			r.duplicateKey(field(addr), string(key), seen[i]-1, at)
		}
		seen[i] = at + 1
		if bad := r.recordField(addr, vm, i, r.valueAt()); bad != "" {
			r.check(field(addr)+"."+string(key), bad, at)
		}
	})
	return vm
}

// vmBlock is how many records newVM allocates at once.
const vmBlock = 256

// newVM returns a new record, from a block of them: a large document's
// records cost one allocation per vmBlock.
func (r *reader) newVM() *VM {
	if len(r.vmsFree) == 0 {
		r.vmsFree = make([]VM, vmBlock)
	}
	vm := &r.vmsFree[0]
	r.vmsFree = r.vmsFree[1:]
	return vm
}

// unknownRecordField reports a field a record does not have.
func (r *reader) unknownRecordField(addr string, key []byte, at int, seen map[string]int) map[string]int {
	if seen == nil {
		seen = map[string]int{}
	}
	name := string(key)
	if first, dup := seen[name]; dup {
		r.duplicateKey(field(addr), name, first, at)
	}
	seen[name] = at
	r.unknownField(field(addr)+"."+fieldText(name), at)
	return seen
}

// recordField reads field i of vm, and says what is wrong with it.
func (r *reader) recordField(addr string, vm *VM, i, at int) (bad string) {
	switch i {
	case vmProvider:
		vm.Provider, bad = r.text(slotProvider)
	case vmID:
		bad = r.ownText(&vm.ID)
	case vmFleet:
		vm.Fleet, bad = r.text(slotFleet)
	case vmName:
		bad = r.ownText(&vm.Name)
	case vmHost:
		vm.Host, bad = r.text(slotHost)
	case vmCPU:
		vm.CPU, bad = r.wholeInt()
	case vmMemory:
		vm.MemoryMiB, bad = r.whole()
	case vmDisk:
		vm.DiskGB, bad = r.wholeInt()
	case vmPower:
		vm.Power, bad = r.text(slotPower)
	case vmTemplate:
		vm.Template, bad = r.text(slotTemplate)
	case vmTags:
		vm.Tags, bad = r.tags(addr, at)
	case vmSpecHash:
		bad = r.ownText(&vm.SpecHash)
	case vmDependsOn:
		vm.DependsOn, bad = r.fleets()
	}
	return bad
}

// tags reads the object of strings that are the tags of addr's record.
// Records whose tags are those of the record before share its map: a
// fleet's VMs mostly carry the same tags, and one map per VM is most of
// what a large document costs (records are never modified in place).
func (r *reader) tags(addr string, start int) (map[string]string, string) {
	c := r.peek()
	if c != '{' {
		r.skip()
		return nil, "must be an object of strings (tag = value), but it is " + kindOf(c)
	}
	pairs := r.tagPairs[:0]
	var bad string
	var index map[string]int // of pairs by key, once there are many
	r.object(func(key []byte, at int) {
		k := r.intern(key, slotTagKey)
		i := indexTag(pairs, index, k)
		if i >= 0 {
			r.duplicateKey(field(addr)+".tags", k, r.keyBefore(start, at, key), at)
		}
		v, why := r.text(slotTagValue)
		if why != "" && bad == "" {
			bad = fmt.Sprintf("has the tag %q, whose value %s", k, why)
		}
		if i >= 0 {
			pairs[i].v = v // the last value wins, as in a map
			return
		}
		pairs = append(pairs, tagPair{k, v})
		index = indexTags(pairs, index)
	})
	r.tagPairs = pairs
	if sameTags(r.lastTags, pairs) {
		return r.lastTags, bad
	}
	tags := make(map[string]string, len(pairs))
	for _, p := range pairs {
		tags[p.k] = p.v
	}
	r.lastTags = tags
	return tags, bad
}

// tagPair is one tag of a record being read.
type tagPair struct{ k, v string }

// indexTag returns the index of the tag k in pairs, or -1: through index
// when it is set.
func indexTag(pairs []tagPair, index map[string]int, k string) int {
	if index != nil {
		if i, ok := index[k]; ok {
			return i
		}
		return -1
	}
	for i, p := range pairs {
		if p.k == k {
			return i
		}
	}
	return -1
}

// manyTags is how many tags a record has before indexTag looks them up in
// a map instead of comparing them one by one.
const manyTags = 32

// indexTags returns index with the last of pairs added, starting it when
// pairs reaches manyTags.
func indexTags(pairs []tagPair, index map[string]int) map[string]int {
	switch {
	case index != nil:
		index[pairs[len(pairs)-1].k] = len(pairs) - 1
	case len(pairs) == manyTags:
		index = make(map[string]int, 2*manyTags)
		for i, p := range pairs {
			index[p.k] = i
		}
	}
	return index
}

// sameTags reports whether m holds exactly the tags of pairs, whose keys
// are distinct.
func sameTags(m map[string]string, pairs []tagPair) bool {
	if m == nil || len(m) != len(pairs) {
		return false
	}
	for _, p := range pairs {
		if v, ok := m[p.k]; !ok || v != p.v {
			return false
		}
	}
	return true
}

// fleets reads a list of fleet addresses (depends_on). Records whose list
// is that of the record before share it, as they share tags.
func (r *reader) fleets() ([]string, string) {
	c := r.peek()
	if c != '[' {
		r.skip()
		return nil, "must be a list of fleet addresses, but it is " + kindOf(c)
	}
	out := r.depsBuf[:0]
	var bad string
	r.array(func(i int) {
		s, why := r.text(slotOther)
		if why != "" && bad == "" {
			bad = fmt.Sprintf("has an element (%d) that %s", i, why)
		}
		out = append(out, s)
	})
	r.depsBuf = out
	if r.lastDeps == nil || !slices.Equal(r.lastDeps, out) {
		r.lastDeps = append([]string{}, out...)
	}
	return r.lastDeps, bad
}

// abandoned reads the list of VMs `state rm` let go.
func (r *reader) abandoned() ([]Ref, string) {
	c := r.peek()
	switch c {
	case '[':
	case 'n':
		r.literal()
		return nil, "is null"
	default:
		r.skip()
		return nil, "must be a list of records, but it is " + kindOf(c)
	}
	var out []Ref
	r.array(func(i int) {
		out = append(out, r.ref(fmt.Sprintf("abandoned[%d]", i)))
	})
	return out, ""
}

// ref reads one {"provider": …, "id": …} of abandoned.
func (r *reader) ref(f string) Ref {
	var ref Ref
	at := r.valueAt()
	if c := r.peek(); c != '{' {
		r.skip()
		r.check(f, `must be a record {"provider": "TYPE.NAME", "id": "…"}, but it is `+kindOf(c), at)
		return ref
	}
	seen := map[string]int{}
	r.object(func(key []byte, kat int) {
		name := string(key)
		if first, dup := seen[name]; dup {
			r.duplicateKey(f, name, first, kat)
		}
		seen[name] = kat
		var bad string
		switch name {
		case "provider":
			ref.Provider, bad = r.text(slotProvider)
		case "id":
			ref.ID, bad = r.text(noIntern)
		default:
			r.unknownField(f+"."+fieldText(name), kat)
			return
		}
		r.check(f+"."+name, bad, kat)
	})
	return ref
}
