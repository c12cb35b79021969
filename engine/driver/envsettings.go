package driver

import (
	"fmt"
	"os"
	"strings"
)

// EnvFallback names the settings of a provider block that fall back to an
// environment variable when the block leaves them out, Prefix and the
// setting's name in capitals (NOVACRON_XEN_URL for url): where the system
// is and who logs in, which CI systems keep as secrets. A setting that
// turns a safeguard off is never among them (Setting.NoEnv).
type EnvFallback struct {
	Prefix   string // such as "NOVACRON_XEN_"
	Settings []string
}

// Name is the environment variable a setting falls back to.
func (e EnvFallback) Name(setting string) string { return e.Prefix + strings.ToUpper(setting) }

// Where names the origin of a setting's value in a message: the setting
// when c sets it, else its environment variable.
func (e EnvFallback) Where(c Config, setting string) string {
	if c.String(setting) == "" {
		return e.Name(setting)
	}
	return setting
}

// Fill returns a copy of c with the environment's value of each of
// Settings that c leaves unset (an empty variable sets nothing).
func (e EnvFallback) Fill(c Config) Config {
	out := make(Config, len(c)+len(e.Settings))
	for k, v := range c {
		out[k] = v
	}
	for _, s := range e.Settings {
		if out.String(s) != "" {
			continue
		}
		if v, ok := os.LookupEnv(e.Name(s)); ok && v != "" {
			out[s] = v
		}
	}
	return out
}

// Needed is a setting a driver cannot connect without, and what it holds
// in words ("the XenAPI password").
type Needed struct{ Setting, What string }

// Require returns an error for the first of needed that c holds no value
// for (white space counts as none); the error names the setting and its
// environment variable.
func (e EnvFallback) Require(c Config, needed ...Needed) error {
	for _, n := range needed {
		if strings.TrimSpace(c.String(n.Setting)) == "" {
			return fmt.Errorf("%s is not set: set %s in the provider block or the environment variable %s", n.What, n.Setting, e.Name(n.Setting))
		}
	}
	return nil
}

// Resolve fills c from the environment, runs the Check of the setting
// named first on its value, if any, with the error naming where that came
// from (the setting, or its variable), and then resolves c against
// settings (the package's Resolve).
func (e EnvFallback) Resolve(settings []Setting, c Config, first string) (Config, error) {
	where := e.Where(c, first)
	c = e.Fill(c)
	for _, s := range settings {
		if s.Name == first && s.Check != nil && c.String(first) != "" {
			if err := s.Check(c[first]); err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
		}
	}
	return Resolve(settings, c)
}
