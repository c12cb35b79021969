package driver

// Discarder is implemented by a driver that keeps files of its own in the
// workspace (the simulator) and would write them when it closes: the
// engine calls Discard instead of Close when a command is refused before
// it used the driver (the state cannot be read), so that a refused
// command writes nothing. Discard releases what Open took, as Close does,
// and leaves the driver's files as Open found them.
type Discarder interface {
	Discard() error
}
