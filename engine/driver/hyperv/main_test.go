package hyperv

import (
	"fmt"
	"os"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
)

// novaBin is the nova-plan binary the end-to-end tests run, built once.
var novaBin string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bin, cleanup, err := clitest.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer cleanup()
	novaBin = bin
	return m.Run()
}
