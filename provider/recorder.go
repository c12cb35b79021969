package provider

import (
	"sync"

	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/state"
)

// memRecorder is the exec.Recorder of the provider: it keeps the results of
// an apply in memory, in a state document that starts as the resource's own
// state. The resource then writes that document back to Terraform state, so
// a partial failure keeps exactly what succeeded.
type memRecorder struct {
	mu sync.Mutex
	st *state.State
}

var _ operation.Recorder = (*memRecorder)(nil)

func newMemRecorder(st *state.State) *memRecorder { return &memRecorder{st: st.Clone()} }

// Set records a copy of vm at addr.
func (r *memRecorder) Set(addr string, vm *state.VM) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.st.VMs[addr] = vm.Clone()
}

// RemoveIf forgets addr if it still records the VM id.
func (r *memRecorder) RemoveIf(addr, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if vm := r.st.VMs[addr]; vm != nil && vm.ID == id {
		delete(r.st.VMs, addr)
	}
}

// Record drops audit records: Terraform keeps its own log of the run.
func (r *memRecorder) Record(state.HistoryRecord) {}

// Err is nil: the document is kept in memory, which cannot fail.
func (r *memRecorder) Err() error { return nil }

// state returns a copy of the document as it is now.
func (r *memRecorder) state() *state.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.st.Clone()
}
