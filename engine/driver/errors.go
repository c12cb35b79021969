package driver

import (
	"errors"
	"fmt"
)

// Kind classifies a driver error by what the executor should do about it.
type Kind int

// The error kinds.
const (
	// KindPermanent fails the action; retrying will not help.
	KindPermanent Kind = iota
	// KindTransient is retried with backoff (timeouts, throttling, busy).
	KindTransient
	// KindNotFound means the VM or host does not exist.
	KindNotFound
	// KindCapacity means a host or provider has no room for the VM.
	KindCapacity
)

func (k Kind) String() string {
	switch k {
	case KindTransient:
		return "transient"
	case KindNotFound:
		return "not-found"
	case KindCapacity:
		return "capacity"
	default:
		return "permanent"
	}
}

// Sentinels for errors.Is: errors.Is(err, driver.ErrNotFound).
var (
	ErrPermanent = &Error{Kind: KindPermanent}
	ErrTransient = &Error{Kind: KindTransient}
	ErrNotFound  = &Error{Kind: KindNotFound}
	ErrCapacity  = &Error{Kind: KindCapacity}
)

// Error is a classified driver error.
type Error struct {
	Kind Kind
	Err  error
}

// Errorf returns a classified error with a formatted message.
func Errorf(kind Kind, format string, args ...any) error {
	return &Error{Kind: kind, Err: fmt.Errorf(format, args...)}
}

// Wrap classifies err; it returns nil for a nil err.
func Wrap(kind Kind, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: kind, Err: err}
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Kind.String() + " error"
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches the sentinels by kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Err == nil && t.Kind == e.Kind
}

// KindOf returns the kind of the first classified error in err's chain;
// unclassified errors are permanent.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindPermanent
}
