package vsphere

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/vmware/govmomi/vim25/soap"

	"github.com/novacron/novacron/engine/driver"
)

// parseURL reads a url setting the way govmomi does (https and /sdk by
// default), refusing what would hide a secret or cannot be vCenter.
func parseURL(s string) (*url.URL, error) {
	u, err := soap.ParseURL(strings.TrimSpace(s))
	shown := driver.RedactURL(s)
	switch {
	case err != nil || u == nil || u.Hostname() == "":
		return nil, fmt.Errorf("%q is not a vCenter address such as https://vcenter.example.net/sdk or vcenter.example.net", shown)
	case u.Scheme == "http":
		return nil, fmt.Errorf("the address %q uses http, which would send the password unencrypted: use https://%s%s", shown, u.Host, u.Path)
	case u.Scheme != "https":
		return nil, fmt.Errorf("the address %q uses %s; vCenter speaks https", shown, u.Scheme)
	case u.User != nil && u.User.String() != ":":
		return nil, fmt.Errorf("the address %q holds a user name or password: set user and password instead, so the password stays secret", shown)
	}
	u.User = nil
	return u, nil
}

func checkURL(v any) error {
	_, err := parseURL(v.(string))
	return err
}
