#!/usr/bin/env bash
# Builds the tiny test guest of the libvirt driver's tests and examples: the
# Debian cloud kernel and a busybox initramfs, for direct kernel boot.
#
#   OUT/vmlinuz      the kernel of linux-image-cloud-amd64
#   OUT/initrd.img   busybox; /init prints "NOVACRON-GUEST-UP <uuid>" (the
#                    domain's UUID, from DMI) on ttyS0, the files of a
#                    cloud-init seed on /dev/vdb ("NOVACRON-SEED files=…
#                    local-hostname: …") when there is one, then a heartbeat
#                    line "NOVACRON-GUEST-ALIVE <uptime>" every 2 s, and
#                    powers off on an ACPI power-button press
#
# OUT defaults to /var/lib/libvirt/images/novacron-test (readable by QEMU).
# Rebuilt only when the kernel or this script changed.
set -euo pipefail
out=${1:-/var/lib/libvirt/images/novacron-test}
self=$(realpath "$0")

kernel=$(ls -1 /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n1 || true)
[ -n "$kernel" ] || { echo "build-test-guest: no /boot/vmlinuz-*-cloud-amd64: install linux-image-cloud-amd64" >&2; exit 1; }
kver=${kernel#/boot/vmlinuz-}
busybox=/bin/busybox
if [ ! -x "$busybox" ] || [[ "$(ldd "$busybox" 2>&1 || true)" != *"not a dynamic"* ]]; then
  echo "build-test-guest: /bin/busybox is missing or not static: install busybox-static" >&2
  exit 1
fi

stamp="$kver $(sha256sum "$self" | cut -c1-16)"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,etc,lib/modules,var}
cp "$busybox" "$root/bin/busybox"
# Modules in load order: virtio (balloon, disk), ACPI power button, evdev.
i=10
for m in virtio/virtio virtio/virtio_ring virtio/virtio_pci_legacy_dev \
  virtio/virtio_pci_modern_dev virtio/virtio_pci virtio/virtio_balloon \
  block/virtio_blk acpi/button input/evdev cdrom/cdrom ../fs/isofs/isofs; do
  src=/lib/modules/$kver/kernel/drivers/$m.ko
  [ -f "$src" ] || { echo "build-test-guest: missing module $src" >&2; exit 1; }
  cp "$src" "$root/lib/modules/$i-$(basename "$m").ko"
  i=$((i + 1))
done
# busybox acpid runs /etc/acpi/PWRF/00000080 on a power-button press.
mkdir -p "$root/etc/acpi/PWRF"
printf '#!/bin/sh\npoweroff -f\n' >"$root/etc/acpi/PWRF/00000080"
chmod +x "$root/etc/acpi/PWRF/00000080"
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in /lib/modules/*.ko; do insmod "$m" 2>/dev/null; done
mkdir -p /var/run /var/log
acpid -c /etc/acpi -l /dev/null
uuid=$(cat /sys/class/dmi/id/product_uuid 2>/dev/null)
echo "NOVACRON-GUEST-UP ${uuid:-unknown}" >/dev/ttyS0
# A cloud-init seed (NoCloud ISO on the second disk): list its files and
# the hostname it gives, as cloud-init would read them.
if [ -e /dev/vdb ] && mkdir -p /seed && mount -t iso9660 -o ro /dev/vdb /seed 2>/dev/null; then
  echo "NOVACRON-SEED files=$(ls /seed | tr '\n' ',') $(grep local-hostname /seed/meta-data)" >/dev/ttyS0
fi
while true; do
  echo "NOVACRON-GUEST-ALIVE $(cut -d' ' -f1 /proc/uptime)" >/dev/ttyS0
  sleep 2
done
INIT
chmod +x "$root/init"

mkdir -p "$out"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.img"
cp "$kernel" "$work/vmlinuz"
install -m 0644 "$work/vmlinuz" "$work/initrd.img" "$out/"
echo "$stamp" >"$out/stamp"
echo "build-test-guest: built $out (kernel $kver)"
