package driver

import (
	"fmt"
	"strings"
	"time"
)

// The Checks of settings that several drivers declare alike. Each takes
// the setting's name as its message begins with it: "pool", or "setting
// pool" where a driver's messages say so.

// NonEmpty refuses a string that is empty or only white space:
// "NAME must not be empty".
func NonEmpty(name string) func(any) error {
	return func(v any) error {
		if s, _ := v.(string); strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s must not be empty", name)
		}
		return nil
	}
}

// SetOrLeftOut refuses an empty string for an optional setting, whose
// default is had by leaving the setting out (an empty value is most
// likely a variable that was not set).
func SetOrLeftOut(name string) func(any) error {
	return func(v any) error {
		if s, _ := v.(string); strings.TrimSpace(s) == "" {
			return fmt.Errorf("setting %s must not be empty: leave it out for its default", name)
		}
		return nil
	}
}

// PositiveDuration refuses a duration of 0 or less: "NAME must be more
// than 0".
func PositiveDuration(name string) func(any) error { return positiveDuration(name, "") }

// PositiveDurationLike is PositiveDuration with an example of a good
// value: "NAME must be more than 0, such as "30s"".
func PositiveDurationLike(name, example string) func(any) error {
	return positiveDuration(name, fmt.Sprintf(", such as %q", example))
}

func positiveDuration(name, such string) func(any) error {
	return func(v any) error {
		if d, _ := v.(time.Duration); d <= 0 {
			return fmt.Errorf("%s must be more than 0%s", name, such)
		}
		return nil
	}
}

// PositiveNumber refuses a number that is not more than 0 (NaN too):
// "NAME must be more than 0".
func PositiveNumber(name string) func(any) error {
	return func(v any) error {
		if f, _ := v.(float64); !(f > 0) {
			return fmt.Errorf("%s must be more than 0", name)
		}
		return nil
	}
}

// RedactURL hides whatever sits between "//" and "@" of an address a
// setting holds, so that a message may quote it without its password.
func RedactURL(s string) string {
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
