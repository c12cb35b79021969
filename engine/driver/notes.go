package driver

// Noter is implemented by a driver that keeps files of its own in the
// workspace (the simulator) and may change them in a way the user should
// hear of when it closes: a file moved to a newer format, which older
// NovaCron releases then refuse. After Close, the engine asks for the
// notes once and shows them as warnings; each is a whole sentence naming
// the files. Notes returns each note once.
type Noter interface {
	Notes() []string
}
