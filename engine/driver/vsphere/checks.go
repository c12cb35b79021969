package vsphere

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/vmware/govmomi/vim25/soap"
)

// parseURL reads a url setting the way govmomi does (https and /sdk by
// default), refusing what would hide a secret or cannot be vCenter.
func parseURL(s string) (*url.URL, error) {
	u, err := soap.ParseURL(strings.TrimSpace(s))
	switch {
	case err != nil || u == nil || u.Hostname() == "":
		return nil, fmt.Errorf("%q is not a vCenter address such as https://vcenter.example.net/sdk or vcenter.example.net", s)
	case u.Scheme == "http":
		return nil, fmt.Errorf("the address %q uses http, which would send the password unencrypted: use https://%s%s", redactURL(s), u.Host, u.Path)
	case u.Scheme != "https":
		return nil, fmt.Errorf("the address %q uses %s; vCenter speaks https", s, u.Scheme)
	case u.User != nil && u.User.String() != ":":
		return nil, fmt.Errorf("the address %q holds a user name or password: set user and password instead, so the password stays secret", redactURL(s))
	}
	u.User = nil
	return u, nil
}

// redactURL hides whatever sits between "//" and "@".
func redactURL(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		scheme, rest = "", s
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = "…@" + rest[at+1:]
	}
	if scheme == "" {
		return rest
	}
	return scheme + "://" + rest
}

func checkURL(v any) error {
	_, err := parseURL(v.(string))
	return err
}

func nonEmpty(name string) func(any) error {
	return func(v any) error {
		if strings.TrimSpace(v.(string)) == "" {
			return fmt.Errorf("%s must not be empty", name)
		}
		return nil
	}
}

func positiveDuration(name string) func(any) error {
	return func(v any) error {
		if d := v.(time.Duration); d <= 0 {
			return fmt.Errorf("%s must be more than 0, such as \"30s\"", name)
		}
		return nil
	}
}

func positiveNumber(name string) func(any) error {
	return func(v any) error {
		if f := v.(float64); !(f > 0) {
			return fmt.Errorf("%s must be more than 0", name)
		}
		return nil
	}
}
