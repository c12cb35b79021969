package ec2

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/ec2test"
)

// TestClearMarkerUnmarksRootVolume: a forget's ClearMarker deletes the
// marker's tags from the instance and from its root volume (Create tags
// both), and keeps the user's tags.
func TestClearMarkerUnmarksRootVolume(t *testing.T) {
	ctx := context.Background()
	d := openDriver(t, serverConfig(startServer(t, ec2test.Options{})))
	vm, err := d.Create(ctx, testSpec("forgotten"))
	if err != nil {
		t.Fatal(err)
	}
	volumeMarker := func() []string {
		t.Helper()
		i, err := d.instance(ctx, vm.ID)
		if err != nil {
			t.Fatal(err)
		}
		out, err := d.c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{rootVolume(i)}})
		if err != nil || len(out.Volumes) != 1 {
			t.Fatalf("DescribeVolumes: %v", err)
		}
		var keys []string
		for _, tag := range out.Volumes[0].Tags {
			if strings.HasPrefix(*tag.Key, "novacron:") {
				keys = append(keys, *tag.Key)
			}
		}
		return keys
	}
	if keys := volumeMarker(); len(keys) != 3 {
		t.Fatalf("root volume carries marker tags %v after Create, want the marker's three", keys)
	}
	got, err := d.Update(ctx, vm.ID, driver.Changes{ClearMarker: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Marker != nil || got.Tags["tier"] != "web" {
		t.Errorf("after ClearMarker the instance has marker %v and tags %v, want none and tier = web", got.Marker, got.Tags)
	}
	if keys := volumeMarker(); len(keys) != 0 {
		t.Errorf("root volume still carries marker tags %v after ClearMarker", keys)
	}
}
