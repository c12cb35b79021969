package libvirt

import (
	"testing"
	"time"

	lv "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"
)

// The two libvirt hosts of scripts/libvirt-hosts-up.sh (which `make test`
// runs): separate daemons on this machine that share the images folder.
var twoHosts = map[string]string{
	"hv-a": "qemu+tcp://127.0.0.1:16601/system",
	"hv-b": "qemu+tcp://127.0.0.1:16602/system",
}

// hostConns connects to both test hosts, failing the test when one does not
// answer.
func hostConns(t testing.TB) map[string]*lv.Libvirt {
	t.Helper()
	requireGuest(t)
	out := map[string]*lv.Libvirt{}
	for name, port := range map[string]string{"hv-a": "16601", "hv-b": "16602"} {
		l := lv.NewWithDialer(dialers.NewRemote("127.0.0.1", dialers.UsePort(port), dialers.WithRemoteTimeout(5*time.Second)))
		if err := l.ConnectToURI(systemURI); err != nil {
			t.Fatalf("test host %s (%s) does not answer (%v): start the two test hosts with scripts/libvirt-hosts-up.sh, which `make test` runs", name, twoHosts[name], err)
		}
		t.Cleanup(func() { l.Disconnect() })
		out[name] = l
	}
	return out
}
