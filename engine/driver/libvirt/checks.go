package libvirt

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/novacron/novacron/internal/lazyregexp"
)

// maxVCPUs is the most vCPUs a domain can be defined with here.
const maxVCPUs = 1024

// transports are the connection kinds the driver dials.
var transports = []string{"unix", "tcp", "tls"}

// parseURI checks a libvirt URI and returns it with its transport.
func parseURI(s string) (*url.URL, string, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || !strings.Contains(s, "://") {
		return nil, "", fmt.Errorf("%q is not a libvirt URI such as qemu:///system or qemu+tls://hv-01/system", s)
	}
	driverName, transport, _ := strings.Cut(u.Scheme, "+")
	if transport == "" {
		transport = "unix"
		if u.Host != "" {
			transport = "tls" // libvirt's default for a URI with a host
		}
	}
	if driverName != "qemu" && driverName != "test" {
		return nil, "", fmt.Errorf("the URI %q is for libvirt's %q driver; this driver manages qemu (KVM/QEMU) hosts, or test for tests", s, driverName)
	}
	if !slices.Contains(transports, transport) {
		return nil, "", fmt.Errorf("the URI %q uses the %q transport; use unix (qemu:///system), tcp (qemu+tcp://HOST/system) or tls (qemu+tls://HOST/system)", s, transport)
	}
	if transport != "unix" && u.Hostname() == "" {
		return nil, "", fmt.Errorf("the URI %q needs a host name for the %s transport", s, transport)
	}
	if u.Query().Has("no_verify") {
		return nil, "", fmt.Errorf("the URI %q turns TLS verification off with no_verify; set tls_insecure_skip_verify = true instead, so it shows in the spec", s)
	}
	return u, transport, nil
}

func checkURISetting(v any) error {
	_, _, err := parseURI(v.(string))
	return err
}

// hostNamePattern is what a host name in hosts or host_name may look like.
var hostNamePattern = lazyregexp.New(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func checkHostName(v any) error {
	if s := v.(string); !hostNamePattern.MatchString(s) {
		return fmt.Errorf("host_name %q must start with a letter or digit and hold only letters, digits, '.', '_' and '-'", s)
	}
	return nil
}

func checkHosts(v any) error {
	hosts := v.(map[string]string)
	if len(hosts) == 0 {
		return errors.New("hosts must name at least one host: hosts = { hv-01 = \"qemu+tcp://hv-01/system\" }")
	}
	for name, uri := range hosts {
		if !hostNamePattern.MatchString(name) {
			return fmt.Errorf("the host name %q in hosts must start with a letter or digit and hold only letters, digits, '.', '_' and '-'", name)
		}
		if _, _, err := parseURI(uri); err != nil {
			return fmt.Errorf("host %s: %w", name, err)
		}
	}
	return nil
}

func checkDomainType(v any) error {
	if s := v.(string); s != "kvm" && s != "qemu" {
		return fmt.Errorf("domain_type must be \"kvm\" or \"qemu\"; got %q", s)
	}
	return nil
}

func checkMaxMemory(v any) error {
	if gb := v.(float64); gb < 0 || gb > 1<<20 {
		return fmt.Errorf("max_memory_gb must be 0 (twice each VM's memory) or a number of GiB up to %d; got %v", 1<<20, gb)
	}
	return nil
}

// volumeNamePattern is what a volume name may look like: one path element.
var volumeNamePattern = lazyregexp.New(`^[A-Za-z0-9_][A-Za-z0-9._+-]*$`)

func checkVolumeName(v any) error {
	if s := v.(string); !volumeNamePattern.MatchString(s) {
		return fmt.Errorf("volume %q must be the name of a volume in the pool (letters, digits, '.', '_', '+', '-'), not a path", s)
	}
	return nil
}

func intRange(name string, lo, hi int64) func(any) error {
	return func(v any) error {
		if n := v.(int64); n < lo || n > hi {
			return fmt.Errorf("%s must be between %d and %d; got %d", name, lo, hi, n)
		}
		return nil
	}
}

func nonEmpty(name string) func(any) error {
	return func(v any) error {
		if v.(string) == "" {
			return fmt.Errorf("%s must not be empty", name)
		}
		return nil
	}
}

func absolutePath(name string) func(any) error {
	return func(v any) error {
		if s := v.(string); !filepath.IsAbs(s) {
			return fmt.Errorf("%s must be an absolute path on the host; got %q", name, s)
		}
		return nil
	}
}

func positiveDuration(name string) func(any) error {
	return func(v any) error {
		if d := v.(time.Duration); d <= 0 {
			return fmt.Errorf("%s must be more than 0; got %v", name, d)
		}
		return nil
	}
}

func positiveNumber(name string) func(any) error {
	return func(v any) error {
		if f := v.(float64); !(f > 0) || f > 1000 {
			return fmt.Errorf("%s must be more than 0 and at most 1000; got %v", name, f)
		}
		return nil
	}
}
