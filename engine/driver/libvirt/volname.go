package libvirt

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/lazyregexp"
)

// The names of the volumes the driver makes carry the identity of the VM
// they belong to, so that what an interrupted run left in a pool can be
// told apart from everything else there, and removed by the retry:
//
//	NAME-OWNER-UUID.qcow2        the disk
//	NAME-OWNER-UUID-cidata.iso   the cloud-init seed
//	NAME-OWNER-UUID-Ng.qcow2     the disk copied to N GB (pools that cannot resize)
//
// NAME is the VM's name and UUID its domain's. OWNER is the first 12 hex
// digits of the SHA-256 of the creating marker's lineage and address: the
// same VM of the same workspace (or Terraform resource) has the same owner
// in every run, a VM of another workspace never.

// volName is what a volume's name says of the VM it was made for.
type volName struct {
	name  string // the volume's name
	vm    string // the VM's name
	owner string
	uuid  string // the domain's UUID
}

// noOwner is the owner of a VM created without a marker: one no retry can
// tell from another VM of the same name, so none is cleaned up by owner.
const noOwner = "000000000000"

var volNamePattern = lazyregexp.New(`^(.+)-([0-9a-f]{12})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\.qcow2|-cidata\.iso|-[0-9]+g\.qcow2)$`)

// parseVolName reads a volume name the driver made; ok is false for any
// other name (volumes of VMs made before names carried an owner included).
func parseVolName(name string) (v volName, ok bool) {
	m := volNamePattern.FindStringSubmatch(name)
	if m == nil {
		return volName{}, false
	}
	return volName{name: name, vm: m[1], owner: m[2], uuid: m[3]}, true
}

// ownerOf is the owner part of the volume names of the marker's VM.
func ownerOf(mk *driver.Marker) string {
	if mk == nil || (mk.Lineage == "" && mk.Address == "") {
		return noOwner
	}
	sum := sha256.Sum256([]byte(mk.Lineage + "\x00" + mk.Address))
	return hex.EncodeToString(sum[:6])
}

// diskVolumeName is the name of a VM's disk volume.
func diskVolumeName(vm, owner, uuid string) string {
	return fmt.Sprintf("%s-%s-%s.qcow2", vm, owner, uuid)
}

// seedVolumeName is the name of a VM's cloud-init seed volume.
func seedVolumeName(vm, owner, uuid string) string {
	return fmt.Sprintf("%s-%s-%s-cidata.iso", vm, owner, uuid)
}

// grownVolumeName is the name of a VM's disk copied to a larger volume.
func grownVolumeName(vm, owner, uuid string, gb int) string {
	return fmt.Sprintf("%s-%s-%s-%dg.qcow2", vm, owner, uuid, gb)
}
