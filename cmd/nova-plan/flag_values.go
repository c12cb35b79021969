package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"
)

// maxParallelism is the most actions an apply runs at once: far more than
// any provider's own limit, and few enough that the executor's queues and
// workers stay small (-parallelism=9223372036854775807 panicked, 1e9 ran
// out of memory).
const maxParallelism = 1000

// countValue is a flag holding a whole number in [min, max]; what says
// what the number counts, for the error.
type countValue struct {
	n        *int
	min, max int
	what     string
}

func (c countValue) String() string {
	if c.n == nil {
		return ""
	}
	return strconv.Itoa(*c.n)
}

func (c countValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < c.min || n > c.max {
		return fmt.Errorf("it must be a whole number from %d to %d, %s", c.min, c.max, c.what)
	}
	*c.n = n
	return nil
}

// durationValue is a flag holding a duration that is not negative.
type durationValue struct{ d *time.Duration }

func (v durationValue) String() string {
	if v.d == nil {
		return ""
	}
	return v.d.String()
}

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return fmt.Errorf("it must be a duration with a unit, such as 30s, 2m or 1h30m")
	case d < 0:
		return fmt.Errorf("it must not be negative: it is how long to wait")
	}
	*v.d = d
	return nil
}

// lockTimeoutFlag registers -lock-timeout on fs.
func lockTimeoutFlag(fs *flag.FlagSet, d *time.Duration) {
	fs.Var(durationValue{d}, "lock-timeout", "wait this long for the state lock, such as 30s (`duration`; 0 tries once)")
}
