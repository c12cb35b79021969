package sim

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// encodePlain is a compact snapshot as a new gob encoder writes it.
func encodePlain(t *testing.T, c *cluster) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(compactHeader{Magic: compactMagic, Version: compactVersion}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(toColumns(c)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// snapshotClusters are clusters of 0, a few hostile and many VMs.
func snapshotClusters(t *testing.T) map[string]*cluster {
	t.Helper()
	out := map[string]*cluster{}
	for _, n := range []int{0, 3, 5000} {
		d := open(t, t.TempDir(), driver.Config{"hosts": int64(20), "host_cpu": int64(4096), "host_memory_gb": float64(1 << 20)})
		for i := range n {
			s := spec(fmt.Sprint("vm-", i, hostile[i%len(hostile)]), "")
			s.Tags = map[string]string{hostile[i%len(hostile)]: "x", "tier": "app"}
			if _, err := d.Create(context.Background(), s); err != nil {
				t.Fatal(err)
			}
		}
		out[fmt.Sprint(n, " VMs")] = d.c
	}
	return out
}

// encodeCompact's warming of gob's buffer changes nothing in the file: it
// is byte for byte what a new encoder writes, and reads back as the cluster.
func TestEncodeCompactIsPlainGob(t *testing.T) {
	for name, c := range snapshotClusters(t) {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := encodeCompact(&got, c); err != nil {
				t.Fatal(err)
			}
			if want := encodePlain(t, c); !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("encodeCompact wrote %d bytes that differ from a new encoder's %d", got.Len(), len(want))
			}
			back, err := decodeCompact(got.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(toVMs(c.records()), toVMs(back.records())); diff != "" {
				t.Errorf("VMs read back (-written +read):\n%s", diff)
			}
		})
	}
}

// The size hint is at least the snapshot's size, so gob's buffer grows
// once, and not much more, so it costs little more than the snapshot.
func TestSizeHintCoversSnapshot(t *testing.T) {
	c := snapshotClusters(t)["5000 VMs"]
	size, hint := len(encodePlain(t, c)), toColumns(c).sizeHint()
	if hint < size || hint > size*3/2 {
		t.Errorf("size hint %d for a snapshot of %d bytes, want between 1 and 1.5 times it", hint, size)
	}
	t.Logf("size hint %d for a snapshot of %d bytes", hint, size)
}
