package place

// Measure is what first-fit decreasing sorts VMs by.
type Measure int

// The measures of FFD.
const (
	BySum    Measure = iota // the sum of the VM's shares of the mean host
	ByCPU                   // vCPUs
	ByMemory                // memory
)

// FFD is first-fit decreasing, the classic bin-packing heuristic, kept as
// the yardstick Vector is measured against (the quality suite). A batch
// places the VMs that pin, spread or avoid as Vector does, then the others
// biggest first by the measure, each on the first host by name with room.
// One VM at a time it is first fit.
type FFD struct{ By Measure }

var _ BatchPlacer = FFD{}

// Place implements Placer: the first host by name that can take vm.
func (FFD) Place(c *Cluster, vm VM) Decision {
	for _, h := range c.hosts {
		if c.reject(h, vm) == "" {
			c.AddVM(h.Name, vm)
			return Decision{Host: h.Name}
		}
	}
	return Decision{Rejected: rejections(c, vm)}
}

// PlaceAll implements BatchPlacer.
func (f FFD) PlaceAll(c *Cluster, vms []VM) []Decision {
	measure := [...]func(*packing, int32) float64{measureSum, measureCPU, measureMemory}[f.By]
	return placeAll(c, vms, []strategy{{pack: ffdBy(measure)}})
}
