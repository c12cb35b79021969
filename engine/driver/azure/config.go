package azure

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/lazyregexp"
)

// EnvName is the environment variable a setting falls back to when the
// provider block leaves it out (subscription_id only): the name the
// Terraform provider reads for every setting.
func EnvName(setting string) string { return "NOVACRON_AZURE_" + strings.ToUpper(setting) }

// config is a provider block's settings, resolved and checked.
type config struct {
	subscription  string
	resourceGroup string
	location      string
	subnet        string
	adminUser     string
	sshKey        string
	timeout       time.Duration
}

// resolveConfig fills subscription_id from the environment when the block
// leaves it out, applies defaults, and runs every Check.
func resolveConfig(c driver.Config) (config, error) {
	if c.String(settingSubscription) == "" {
		c = withSetting(c, settingSubscription, os.Getenv(EnvName(settingSubscription)))
	}
	full, err := driver.Resolve(settings(), c)
	if err != nil {
		return config{}, err
	}
	for _, s := range settings() {
		if s.Required || s.Name == settingSubscription {
			if strings.TrimSpace(full.String(s.Name)) == "" {
				return config{}, missing(s.Name)
			}
		}
	}
	return config{
		subscription: full.String(settingSubscription), resourceGroup: full.String(settingResourceGroup),
		location: full.String(settingLocation), subnet: full.String(settingSubnet),
		adminUser: full.String(settingAdminUser), sshKey: full.String(settingSSHKey),
		timeout: full.Duration(settingTimeout),
	}, nil
}

// missing is the error of a setting that has no value.
func missing(name string) error {
	if name == settingSubscription {
		return fmt.Errorf("%s is not set: set it in the provider block or the environment variable %s", name, EnvName(name))
	}
	return fmt.Errorf("%s is not set: set it in the provider block", name)
}

// withSetting returns a copy of c with name set to v (when v is not empty).
func withSetting(c driver.Config, name, v string) driver.Config {
	out := make(driver.Config, len(c)+1)
	for k, x := range c {
		out[k] = x
	}
	if v != "" {
		out[name] = v
	}
	return out
}

var guidPattern = lazyregexp.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func checkSubscription(v any) error {
	if s, _ := v.(string); !guidPattern.MatchString(s) {
		return fmt.Errorf("%s must be a subscription ID such as 00000000-0000-0000-0000-000000000000; got %q", settingSubscription, s)
	}
	return nil
}

func checkSubnet(v any) error {
	s, _ := v.(string)
	id, err := arm.ParseResourceID(s)
	if err != nil || !strings.EqualFold(id.ResourceType.String(), "Microsoft.Network/virtualNetworks/subnets") {
		return fmt.Errorf("%s must be a subnet's resource ID: /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET; got %q", settingSubnet, s)
	}
	return nil
}

func checkSSHKey(v any) error {
	s, _ := v.(string)
	f := strings.Fields(s)
	if len(f) < 2 || !strings.HasPrefix(f[0], "ssh-") && !strings.HasPrefix(f[0], "ecdsa-") {
		return fmt.Errorf("%s must be an OpenSSH public key (\"ssh-ed25519 AAAA… comment\")", settingSSHKey)
	}
	return nil
}

func checkImage(v any) error {
	s, _ := v.(string)
	if _, err := parseImage(s); err != nil {
		return err
	}
	return nil
}

func checkSize(v any) error {
	s, _ := v.(string)
	if _, ok := lookupSize(s); !ok {
		return fmt.Errorf("%s %q is not a VM size this driver knows; use one of %s (see docs/drivers/azure.md), or leave it out to get the cheapest that fits", tmplSize, s, strings.Join(sizes.Names(), ", "))
	}
	return nil
}
