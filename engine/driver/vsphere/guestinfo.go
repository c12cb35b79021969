package vsphere

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"

	"github.com/vmware/govmomi/vim25/types"
)

// guestinfo is the extra configuration that gives cloud-init's VMware
// datasource the template's user data and the VM's meta data (instance ID
// and host name), base64-encoded. It lives in the VM's configuration
// only: never in the annotation, the record or state.
func guestinfo(t template, name string) []types.BaseOptionValue {
	if t.userData == "" {
		return nil
	}
	meta, _ := json.Marshal(map[string]string{"instance-id": name + "-" + instanceSuffix(), "local-hostname": name})
	enc := base64.StdEncoding.EncodeToString
	return []types.BaseOptionValue{
		&types.OptionValue{Key: "guestinfo.userdata", Value: enc([]byte(t.userData))},
		&types.OptionValue{Key: "guestinfo.userdata.encoding", Value: "base64"},
		&types.OptionValue{Key: "guestinfo.metadata", Value: enc(meta)},
		&types.OptionValue{Key: "guestinfo.metadata.encoding", Value: "base64"},
	}
}

// instanceSuffix makes each clone's cloud-init instance ID new, so a VM
// replaced under the same name runs cloud-init again.
func instanceSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
