package xentest

import "fmt"

// The names the server starts with.
const (
	PoolName     = "lab-pool"
	SRName       = "shared-nfs"
	ISOSRName    = "iso-library"
	NetworkName  = "pool-network"
	TemplateName = "debian-12"
	// TemplateDiskGiB is the size of the template's disk.
	TemplateDiskGiB = 8
)

const (
	mib = int64(1) << 20
	gib = int64(1) << 30
	// dom0MiB is the memory each host's control domain holds.
	dom0MiB = 1024
)

// HostName is the name of the i-th host (1-based): xen-01, xen-02, …
func HostName(i int) string { return fmt.Sprintf("xen-%02d", i) }

// seed makes the pool: hosts with their control domains, storage, a
// network, the template and a snapshot, and Options.VMs unmanaged VMs.
func (s *Server) seed() {
	nfs := s.addSR(SR{NameLabel: SRName, ContentType: "user", Shared: true, Type: "nfs"})
	iso := s.addSR(SR{NameLabel: ISOSRName, ContentType: "iso", Shared: true, Type: "iso"})
	net := newRef()
	s.networks[net] = &Network{UUID: newUUID(), NameLabel: NetworkName, Bridge: "xenbr0"}
	var hosts []string
	for i := 1; i <= s.opts.Hosts; i++ {
		hosts = append(hosts, s.addHost(HostName(i), i))
	}
	s.PoolName, s.PoolUUID = PoolName, newUUID()
	s.pool = &Pool{UUID: s.PoolUUID, NameLabel: PoolName, Master: hosts[0], DefaultSR: nfs}
	cd := s.addVDI(VDI{NameLabel: "debian-12.iso", SR: iso, VirtualSize: 700 * mib, Type: "user", ReadOnly: true, Sharable: true})
	tmpl := s.addVM(VM{NameLabel: TemplateName, PowerState: "Halted", IsATemplate: true, VCPUsMax: 1, VCPUsAtStartup: 1,
		MemoryStaticMax: gib, MemoryStaticMin: 512 * mib, MemoryDynMax: gib, MemoryDynMin: gib,
		OtherConfig: map[string]string{"default_template": "false"}})
	s.attachDisk(tmpl, s.addVDI(VDI{NameLabel: TemplateName + " disk", SR: nfs, VirtualSize: TemplateDiskGiB * gib, Type: "user"}), "0")
	s.attach(tmpl, cd, "3", "CD")
	s.addVIF(tmpl, net, "0")
	snap := s.addVM(VM{NameLabel: TemplateName + " snapshot", PowerState: "Halted", IsASnapshot: true, VCPUsMax: 1, VCPUsAtStartup: 1,
		MemoryStaticMax: gib, MemoryStaticMin: gib, MemoryDynMax: gib, MemoryDynMin: gib})
	s.attach(snap, cd, "3", "CD")
	for i := range s.opts.VMs {
		h := hosts[i%len(hosts)]
		vm := s.addVM(VM{NameLabel: fmt.Sprintf("unmanaged-%04d", i), PowerState: "Running", ResidentOn: h, Affinity: h,
			VCPUsMax: 1, VCPUsAtStartup: 1, MemoryStaticMax: 256 * mib, MemoryStaticMin: 256 * mib, MemoryDynMax: 256 * mib, MemoryDynMin: 256 * mib})
		s.attachDisk(vm, s.addVDI(VDI{NameLabel: "disk", SR: nfs, VirtualSize: 4 * gib, Type: "user"}), "0")
	}
}

func (s *Server) addSR(r SR) string {
	ref := newRef()
	r.UUID = newUUID()
	s.srs[ref] = &r
	return ref
}

// addHost adds a host, its metrics and its control domain.
func (s *Server) addHost(name string, i int) string {
	ref, metrics := newRef(), newRef()
	s.hostMetrics[metrics] = &HostMetrics{UUID: newUUID(), MemoryTotal: s.opts.HostMemoryMiB * mib, Live: true}
	s.hosts[ref] = &Host{UUID: newUUID(), NameLabel: name, Address: fmt.Sprintf("192.0.2.%d", 10+i), Enabled: true,
		Metrics: metrics, CPUInfo: map[string]string{"cpu_count": fmt.Sprint(s.opts.HostCPUs), "vendor": "GenuineIntel"}}
	s.addVM(VM{NameLabel: "Control domain on host: " + name, PowerState: "Running", IsControlDomain: true, ResidentOn: ref,
		VCPUsMax: 4, VCPUsAtStartup: 4, MemoryStaticMax: dom0MiB * mib, MemoryStaticMin: dom0MiB * mib, MemoryDynMax: dom0MiB * mib, MemoryDynMin: dom0MiB * mib})
	return ref
}

// addVM adds a VM record, filling what every VM has.
func (s *Server) addVM(r VM) string {
	ref := newRef()
	r.UUID = newUUID()
	if r.ResidentOn == "" {
		r.ResidentOn = Null
	}
	if r.Affinity == "" {
		r.Affinity = Null
	}
	if r.OtherConfig == nil {
		r.OtherConfig = map[string]string{}
	}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	r.VBDs, r.VIFs = []string{}, []string{}
	s.vms[ref] = &r
	return ref
}

func (s *Server) addVDI(r VDI) string {
	ref := newRef()
	r.UUID, r.VBDs = newUUID(), []string{}
	s.vdis[ref] = &r
	return ref
}

func (s *Server) attachDisk(vm, vdi, device string) { s.attach(vm, vdi, device, "Disk") }

// attach plugs a VDI into a VM through a new VBD.
func (s *Server) attach(vm, vdi, device, typ string) string {
	ref := newRef()
	mode := "RW"
	if typ == "CD" {
		mode = "RO"
	}
	s.vbds[ref] = &VBD{UUID: newUUID(), VM: vm, VDI: vdi, Type: typ, Userdevice: device, Bootable: device == "0", Mode: mode}
	s.vms[vm].VBDs = append(s.vms[vm].VBDs, ref)
	s.vdis[vdi].VBDs = append(s.vdis[vdi].VBDs, ref)
	return ref
}

func (s *Server) addVIF(vm, network, device string) string {
	ref := newRef()
	s.vifs[ref] = &VIF{UUID: newUUID(), VM: vm, Network: network, Device: device, MAC: "02:00:00:" + newUUID()[:2] + ":" + newUUID()[:2] + ":" + newUUID()[:2]}
	s.vms[vm].VIFs = append(s.vms[vm].VIFs, ref)
	return ref
}
