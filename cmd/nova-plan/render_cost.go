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

// planCostText is the plan's cost line after "Monthly cost: ":
// "+$29.20 USD (730 hours).", "+$29.20 USD (730 hours; 2 changes without a
// price)."
func planCostText(c *plan.PlanCost) string {
	s := fmt.Sprintf("%s %s (%d hours", signedUSD(c.MonthlyDelta), c.Currency, c.HoursPerMonth)
	switch {
	case c.Unpriced == 1:
		s += "; 1 change without a price"
	case c.Unpriced > 1:
		s += fmt.Sprintf("; %d changes without a price", c.Unpriced)
	}
	return s + ")."
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
