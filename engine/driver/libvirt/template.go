package libvirt

import (
	"github.com/novacron/novacron/engine/driver"
)

// template is a template's libvirt mapping.
type template struct {
	name                    string
	volume                  string
	kernel, initrd, cmdline string
	userData                string
	sshKeys                 []string
}

func readTemplate(ref driver.TemplateRef) template {
	c := ref.Config
	return template{
		name:     ref.Name,
		volume:   c.String(tmplVolume),
		kernel:   c.String(tmplKernel),
		initrd:   c.String(tmplInitrd),
		cmdline:  c.String(tmplCmdline),
		userData: c.String(tmplUser),
		sshKeys:  c.StringList(tmplSSHKeys),
	}
}

// cloudInit reports whether the template gives cloud-init anything.
func (t template) cloudInit() bool { return t.userData != "" || len(t.sshKeys) > 0 }

// check refuses a mapping that names no image, or two.
func (t template) check() error {
	switch {
	case t.volume == "" && t.kernel == "":
		return driver.Errorf(driver.KindPermanent,
			"template %q has no libvirt image: set volume (a base volume in the pool) or kernel (direct kernel boot) in its libvirt block", t.name)
	case t.volume != "" && t.kernel != "":
		return driver.Errorf(driver.KindPermanent,
			"template %q sets both volume and kernel in its libvirt block: a VM boots from one of them", t.name)
	case t.kernel == "" && (t.initrd != "" || t.cmdline != ""):
		return driver.Errorf(driver.KindPermanent,
			"template %q sets initrd or cmdline without kernel in its libvirt block", t.name)
	}
	return nil
}

// checkSpec checks what Create is asked to make and returns its template.
func checkSpec(spec driver.VMSpec) (template, error) {
	t := readTemplate(spec.Template)
	switch {
	case spec.Name == "" || !hostNamePattern.MatchString(spec.Name):
		return t, driver.Errorf(driver.KindPermanent,
			"VM name %q cannot name a libvirt domain: use letters, digits, '.', '_' and '-', starting with a letter or digit", spec.Name)
	case spec.CPU < 1 || spec.CPU > maxVCPUs:
		return t, driver.Errorf(driver.KindPermanent, "VM %q asks for %d vCPUs; a libvirt domain has 1 to %d", spec.Name, spec.CPU, maxVCPUs)
	case spec.MemoryMiB < 1:
		return t, driver.Errorf(driver.KindPermanent, "VM %q asks for %d MiB of memory; it needs at least 1", spec.Name, spec.MemoryMiB)
	case spec.DiskGB < 0:
		return t, driver.Errorf(driver.KindPermanent, "VM %q asks for a %d GB disk", spec.Name, spec.DiskGB)
	case spec.Power != driver.PowerRunning && spec.Power != driver.PowerStopped:
		return t, driver.Errorf(driver.KindPermanent, "VM %q asks for power %q; use %q or %q", spec.Name, spec.Power, driver.PowerRunning, driver.PowerStopped)
	}
	return t, t.check()
}
