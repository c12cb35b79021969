package rebalance_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/novacron/novacron/engine/rebalance"
)

// BenchmarkDecodeUsage100k decodes a -utilization file of 100,000 VMs,
// one a line: the decoder is linear in the file's size (a VM's range is a
// binary search in the line starts, not a rescan from the first byte).
func BenchmarkDecodeUsage100k(b *testing.B) {
	src := usageFile(100_000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		f, diags := rebalance.DecodeUsage("use.json", src)
		if diags.HasErrors() || len(f.VMs) != 100_000 {
			b.Fatalf("%d VMs, %v", len(f.VMs), diags)
		}
	}
}

func usageFile(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("{\n  \"format_version\": 1,\n  \"vms\": {\n")
	for i := range n {
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(&buf, "    \"novacron_vm.vm%d\": {\"cpu\": %g, \"memory_mib\": %d}%s\n", i, float64(i%8)/4, 256+i%4096, sep)
	}
	buf.WriteString("  }\n}\n")
	return buf.Bytes()
}
