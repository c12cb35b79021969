// Command ec2sim serves internal/ec2test, NovaCron's EC2 test server, for
// trying the ec2 driver without an AWS account: a SIMULATED EC2 API, not
// AWS. It knows the AMIs ami-0abcdef1234567890 (x86_64) and
// ami-0fedcba9876543210 (arm64), the subnets subnet-0a1b2c3d4e5f60001 and
// subnet-0a1b2c3d4e5f60002, the security group sg-0123456789abcdef0, the
// key pair novacron, and starts -instances unmanaged running instances. It
// prints the environment that points the AWS SDK (and so nova-plan) at it:
//
//	export AWS_ENDPOINT_URL_EC2=http://127.0.0.1:PORT
//	export AWS_REGION=us-east-1
//	export AWS_ACCESS_KEY_ID=AKIA…
//	export AWS_SECRET_ACCESS_KEY=…
//	export AWS_EC2_METADATA_DISABLED=true
//	…
//
// and serves until it is killed (Ctrl-C, SIGTERM). It keeps everything in
// memory: a new run starts empty.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/novacron/novacron/internal/ec2test"
)

func main() {
	instances := flag.Int("instances", 0, "unmanaged running instances to start with")
	listen := flag.String("listen", "127.0.0.1:0", "address to serve on")
	transition := flag.Duration("transition", 2*time.Second, "how long pending, stopping and shutting-down last")
	flag.Parse()
	s, err := ec2test.Start(ec2test.Options{Instances: *instances, Listen: *listen, Transition: *transition})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ec2sim:", err)
		os.Exit(1)
	}
	defer s.Close()
	for _, kv := range s.Env() {
		fmt.Printf("export %s\n", kv)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}
