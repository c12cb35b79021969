package libvirt

import (
	"fmt"
	"net/url"
	"sync"
	"time"

	lv "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket"
	"github.com/digitalocean/go-libvirt/socket/dialers"

	"github.com/novacron/novacron/engine/driver"
)

// host is one libvirt host of the provider and its connection. Every call
// shares the connection; client dials again once it has dropped.
type host struct {
	name   string
	uri    string
	remote lv.ConnectURI // the URI libvirtd is asked to open
	dialer socket.Dialer

	mu     sync.Mutex
	client *lv.Libvirt
	closed bool

	vols volIndex // its volumes in the provider's pool that name a VM
}

// newHost prepares a host of the provider without dialling it.
func newHost(hc hostConfig, cfg config) (*host, error) {
	u, transport, err := parseURI(hc.uri)
	if err != nil {
		return nil, err
	}
	return &host{
		name:   hc.name,
		uri:    hc.uri,
		remote: lv.RemoteURI(u),
		dialer: newDialer(u, transport, cfg),
	}, nil
}

// newDialer returns the dialer of a checked URI's transport.
func newDialer(u *url.URL, transport string, cfg config) socket.Dialer {
	switch transport {
	case "tcp":
		opts := []dialers.RemoteOption{dialers.WithRemoteTimeout(cfg.connectTimeout)}
		if p := u.Port(); p != "" {
			opts = append(opts, dialers.UsePort(p))
		}
		return dialers.NewRemote(u.Hostname(), opts...)
	case "tls":
		return dialers.NewTLS(u.Hostname(), tlsOptions(u, cfg)...)
	}
	opts := []dialers.LocalOption{dialers.WithLocalTimeout(cfg.connectTimeout)}
	if s := u.Query().Get("socket"); s != "" {
		opts = append(opts, dialers.WithSocket(s))
	}
	return dialers.NewLocal(opts...)
}

// tlsOptions verify the host's certificate unless the spec says not to.
func tlsOptions(u *url.URL, cfg config) []dialers.TLSOption {
	opts := []dialers.TLSOption{}
	if p := u.Port(); p != "" {
		opts = append(opts, dialers.UseTLSPort(p))
	}
	pki := cfg.tlsPKIPath
	if q := u.Query().Get("pkipath"); q != "" {
		pki = q
	}
	if pki != "" {
		opts = append(opts, dialers.UsePKIPath(pki))
	}
	if cfg.tlsSkipVerify {
		opts = append(opts, dialers.WithInsecureNoVerify())
	}
	return opts
}

// conn returns the host's connection, dialling when there is none or it
// dropped. A failed dial is a transient error: the host may be back soon.
func (h *host) conn() (*lv.Libvirt, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, driver.Errorf(driver.KindPermanent, "the connection to host %s is closed", h)
	}
	if h.client != nil && h.client.IsConnected() {
		return h.client, nil
	}
	client := lv.NewWithDialer(h.dialer)
	start := time.Now()
	if err := client.ConnectToURI(h.remote); err != nil {
		return nil, h.dialError(err, time.Since(start))
	}
	h.client = client
	return client, nil
}

// dialError explains a failed connection.
func (h *host) dialError(err error, took time.Duration) error {
	kind := driver.KindTransient
	if isAuthError(err) {
		kind = driver.KindPermanent
	}
	return driver.Errorf(kind, "cannot connect to libvirt host %s (after %s): %v; check that libvirtd runs there and listens on that transport, and that this user may use it (see docs/drivers/libvirt.md)",
		h, took.Round(time.Millisecond), err)
}

// close disconnects; later calls fail.
func (h *host) close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	if h.client == nil || !h.client.IsConnected() {
		return nil
	}
	if err := h.client.Disconnect(); err != nil {
		return fmt.Errorf("disconnecting from libvirt host %s: %w", h, err)
	}
	return nil
}

// String names the host and its URI for messages.
func (h *host) String() string {
	if h.name == "" {
		return h.uri
	}
	return h.name + " (" + h.uri + ")"
}
