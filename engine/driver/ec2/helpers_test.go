package ec2

import (
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/ec2test"
)

// The tests run the real AWS SDK against internal/ec2test, a strict EC2
// Query-protocol server in this process: credentials and region come from
// the environment, as the SDK's default chain reads them.

// startServer starts a test server for one test and points the SDK's
// environment at it.
func startServer(t testing.TB, o ec2test.Options) *ec2test.Server {
	t.Helper()
	if o.Transition == 0 {
		o.Transition = 30 * time.Millisecond
	}
	s, err := ec2test.Start(o)
	if err != nil {
		t.Fatalf("starting the EC2 test server: %v", err)
	}
	t.Cleanup(s.Close)
	useServer(t, s)
	return s
}

// useServer sets the environment the SDK reads to the server's.
func useServer(t testing.TB, s *ec2test.Server) {
	t.Helper()
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// serverConfig is a provider block on the server, polling fast.
func serverConfig(s *ec2test.Server) driver.Config {
	return driver.Config{
		settingRegion: s.Region, settingEndpoint: s.URL, settingPollInterval: 10 * time.Millisecond,
		settingSubnet: ec2test.SubnetA, settingSecurityGroups: []string{ec2test.SecurityGroup}, settingKeyName: ec2test.KeyPair,
	}
}

// openDriver opens a driver on cfg and closes it when the test ends.
func openDriver(t testing.TB, cfg driver.Config) *Driver {
	t.Helper()
	return drivertest.Open(t, Open, cfg)
}

// testTemplate boots the server's x86 AMI.
var testTemplate = driver.TemplateRef{Name: "ubuntu", Config: driver.Config{tmplAMI: ec2test.ImageX86}}

// testSpec is a small running VM with a marker and tags.
func testSpec(name string) driver.VMSpec { return drivertest.Spec(name, 2, 2048, testTemplate) }
