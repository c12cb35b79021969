package rebalance

import "fmt"

// entry decodes one VM's entry key by key from the file's one decoder: a
// single pass that finds a key given twice (object) as it reads the
// values, rather than a second decode of each entry for the check.
func (d *usageDecoder) entry(u *Usage) bool {
	return d.object(func(key string, at int) bool {
		switch key {
		case "cpu":
			return d.value(&u.CPU, key)
		case "memory_mib":
			return d.value(&u.MemoryMiB, key)
		case "samples":
			return d.samples(u)
		}
		d.errorAt(at, "Unknown setting", fmt.Sprintf("%q is not a setting of a VM's utilization: use cpu, memory_mib and samples.", key))
		return false
	})
}

// samples decodes an entry's samples: null, or an array of objects.
func (d *usageDecoder) samples(u *Usage) bool {
	if d.src[d.skipSpace(int(d.dec.InputOffset()))] == 'n' {
		return d.value(&u.Samples, "samples") // null: none
	}
	if !d.delim('[', "an array of samples") {
		return false
	}
	for d.dec.More() {
		var s usageSample
		if !d.object(func(key string, at int) bool { return d.sampleField(&s, key, at) }) {
			return false
		}
		u.Samples = append(u.Samples, s)
	}
	return d.delim(']', "the array's end")
}

func (d *usageDecoder) sampleField(s *usageSample, key string, at int) bool {
	switch key {
	case "time":
		return d.value(&s.Time, key)
	case "cpu":
		return d.value(&s.CPU, key)
	case "memory_mib":
		return d.value(&s.MemoryMiB, key)
	}
	d.errorAt(at, "Unknown setting", fmt.Sprintf("%q is not a setting of a sample: use time, cpu and memory_mib.", key))
	return false
}

// validOnly takes any JSON value and keeps nothing: json.Unmarshal into
// it checks the whole file's syntax, with the offset of the first error,
// without building the value.
type validOnly struct{}

func (*validOnly) UnmarshalJSON([]byte) error { return nil }
