package main

import (
	"fmt"
	"math"

	"github.com/novacron/novacron/engine/plan"
)

// costText is a change's cost line: "monthly cost +$70.08 (t3.large)",
// "monthly cost -$12.00 (m6i.large → t3.large)".
func costText(c *plan.Cost) string {
	s := "monthly cost " + signedUSD(c.MonthlyDelta)
	switch b, a := sizeOf(c.Before), sizeOf(c.After); {
	case b != "" && a != "" && b != a:
		s += " (" + b + " → " + a + ")"
	case a != "":
		s += " (" + a + ")"
	case b != "":
		s += " (" + b + ")"
	}
	return s
}

func sizeOf(i *plan.CostItem) string {
	if i == nil {
		return ""
	}
	return i.Size
}

// signedUSD writes +$1.50, -$0.25, $0.00.
func signedUSD(v float64) string {
	switch {
	case v > 0:
		return fmt.Sprintf("+$%.2f", v)
	case v < 0:
		return fmt.Sprintf("-$%.2f", math.Abs(v))
	}
	return "$0.00"
}
