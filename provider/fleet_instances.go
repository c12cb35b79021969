package provider

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

// Name pattern placeholders.
const (
	phFleet = "{fleet}"
	phIndex = "{index}"
	phKey   = "{key}"
)

// instanceSpec is one desired VM of a fleet before it becomes a
// spec.Instance: its key, and the overrides of the fleet's attributes.
type instanceSpec struct {
	key       string // the index with instance_count
	name      string // overrides the pattern
	host      string
	cpu       *int
	memoryMiB *int64
	diskGB    *int
	power     driver.Power
	tags      map[string]string
}

// fleetShape is a fleet's desired VMs and the attributes they share.
type fleetShape struct {
	name      string
	keyed     bool // instances, not instance_count
	pattern   string
	instances []instanceSpec // in index order
	cpu       int
	memoryMiB int64
	diskGB    int
	power     driver.Power
	tags      map[string]string
}

// defaultPattern is the name pattern when none is set.
func defaultPattern(keyed bool) string {
	if keyed {
		return phFleet + "-" + phKey
	}
	return phFleet + "-" + phIndex
}

// instanceAddress is the engine address of a fleet's instance:
// fleet.NAME[3] with instance_count, fleet.NAME["key"] with instances.
func instanceAddress(fleet, key string, keyed bool) addrs.Instance {
	f := addrs.Fleet{Kind: addrs.KindFleet, Name: fleet}
	if keyed {
		return f.Instance(addrs.StringKey(key))
	}
	i, _ := strconv.Atoi(key)
	return f.Instance(addrs.IntKey(i))
}

// keyOf is an instance's key as vms and instances key it: "3" or "key".
func keyOf(a addrs.Instance) string {
	if s, ok := a.Key().Str(); ok {
		return s
	}
	if i, ok := a.Key().Int(); ok {
		return strconv.Itoa(i)
	}
	return ""
}

// instanceKey is the key of an instance address held as a string, the
// inverse of instanceAddress; an address that does not parse is its own
// key.
func instanceKey(addr string) string {
	a, err := addrs.ParseInstance(addr)
	if err != nil {
		return addr
	}
	return keyOf(a)
}

// countKeys are the keys of instance_count VMs: "0" … "n-1".
func countKeys(n int) []instanceSpec {
	out := make([]instanceSpec, n)
	for i := range out {
		out[i].key = strconv.Itoa(i)
	}
	return out
}

// build expands the shape into the engine's fleet: names from the pattern,
// the fleet's attributes with each instance's overrides. It fails on a name
// that is invalid or used twice.
func (s *fleetShape) build(f *spec.Fleet) error {
	pattern := s.pattern
	if pattern == "" {
		pattern = defaultPattern(s.keyed)
	}
	seen := make(map[string]string, len(s.instances))
	f.Instances = make([]*spec.Instance, 0, len(s.instances))
	for i, in := range s.instances {
		inst := s.instance(f, i, in, pattern)
		if err := checkName(inst, seen); err != nil {
			return err
		}
		f.Instances = append(f.Instances, inst)
	}
	return nil
}

func (s *fleetShape) instance(f *spec.Fleet, i int, in instanceSpec, pattern string) *spec.Instance {
	inst := &spec.Instance{
		Address: instanceAddress(s.name, in.key, s.keyed).String(), Fleet: f, Index: i,
		Name: in.name, Host: in.host, CPU: s.cpu, MemoryMiB: s.memoryMiB, DiskGB: s.diskGB, Power: s.power,
		Tags: maps.Clone(s.tags),
	}
	if s.keyed {
		inst.Key = in.key
	}
	if inst.Name == "" {
		inst.Name = expandPattern(pattern, s.name, i, in.key)
	}
	if inst.Tags == nil {
		inst.Tags = map[string]string{}
	}
	maps.Copy(inst.Tags, in.tags)
	if in.cpu != nil {
		inst.CPU = *in.cpu
	}
	if in.memoryMiB != nil {
		inst.MemoryMiB = *in.memoryMiB
	}
	if in.diskGB != nil {
		inst.DiskGB = *in.diskGB
	}
	if in.power != "" {
		inst.Power = in.power
	}
	return inst
}

func expandPattern(pattern, fleet string, index int, key string) string {
	return strings.NewReplacer(phFleet, fleet, phIndex, strconv.Itoa(index), phKey, key).Replace(pattern)
}

func checkName(inst *spec.Instance, seen map[string]string) error {
	if !vmNameRe.MatchString(inst.Name) {
		return fmt.Errorf("%s would be named %q, which is not a valid VM name: it %s", inst.Address, inst.Name, vmNameRule)
	}
	if first, dup := seen[inst.Name]; dup {
		return fmt.Errorf("%s and %s would both be named %q: VM names must be unique; put {index} or {key} in name_pattern", first, inst.Address, inst.Name)
	}
	seen[inst.Name] = inst.Address
	return nil
}

// inferPattern finds the name pattern that names every VM of an imported
// fleet (by key, in index order): its names with the index, or the key,
// made a placeholder, and the fleet's name {fleet}. It returns "" for the
// default pattern or when no one pattern names them all.
func inferPattern(fleet string, keyed bool, keys, names []string) string {
	found := ""
	for i, name := range names {
		p := placeholderize(name, fleet, keyed, i, keys[i])
		if i > 0 && p != found {
			return ""
		}
		found = p
	}
	if found == defaultPattern(keyed) {
		return ""
	}
	return found
}

func placeholderize(name, fleet string, keyed bool, i int, key string) string {
	ph, val := phIndex, strconv.Itoa(i)
	if keyed {
		ph, val = phKey, key
	}
	if j := strings.LastIndex(name, val); j >= 0 {
		name = name[:j] + ph + name[j+len(val):]
	}
	return strings.Replace(name, fleet, phFleet, 1)
}

// sortedKeys returns instance keys in index order: numerically for
// instance_count, lexically for instances.
func sortedKeys[V any](m map[string]V, keyed bool) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if !keyed {
			na, _ := strconv.Atoi(a)
			nb, _ := strconv.Atoi(b)
			return na - nb
		}
		return strings.Compare(a, b)
	})
	return keys
}
