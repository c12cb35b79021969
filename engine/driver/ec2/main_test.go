package ec2

import (
	"os"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
)

// nova is the nova-plan binary the end-to-end tests run, built once.
var nova clitest.CLI

func TestMain(m *testing.M) { os.Exit(clitest.Main(m, &nova)) }
