#!/usr/bin/env bash
# Builds the tiny test guest of the libvirt driver's tests and examples: the
# Debian cloud kernel and a busybox initramfs, for direct kernel boot.
#
#   OUT/vmlinuz      the kernel of linux-image-cloud-amd64
#   OUT/initrd.img   busybox and the kernel modules the guest needs; /init
#                    prints on ttyS0:
#                      NOVACRON-GUEST-UP <uuid>   (the domain's UUID, from DMI)
#                      NOVACRON-GUEST-DISKS vda,vdb (2 of 2 virtio disks)
#                      NOVACRON-SEED files=… local-hostname: …  (a cloud-init
#                        seed on one of its disks, when there is one)
#                      NOVACRON-GUEST-ALIVE <uptime>   (every 2 s)
#                      NOVACRON-GUEST-ERROR …   (a module that did not load,
#                        disks that did not appear within 20 s)
#                    and powers off on an ACPI power-button press
#
#   scripts/build-test-guest.sh [OUT]          build, when the kernel or this script changed
#   scripts/build-test-guest.sh --load-order   print the modules in load order, and their files
#
# OUT defaults to /var/lib/libvirt/images/novacron-test (readable by QEMU).
# Nothing here names a kernel build: the modules' load order is derived from
# the kernel's own modules.dep (modules in modules.builtin need no file;
# .ko.xz, .ko.zst and .ko.gz files are decompressed), and the new guest is
# booted once under QEMU before it is installed, so a module that does not
# load fails the build with its name. NOVACRON_GUEST_KERNEL (a vmlinuz) and
# NOVACRON_GUEST_MODULES (its /lib/modules/<version> folder) pick another
# kernel than the newest installed cloud kernel.
set -euo pipefail

# The modules the guest needs; their dependencies are found, not listed:
# virtio_pci (the virtio devices), virtio_blk (disks), virtio_balloon
# (memory changes), button and evdev (the ACPI power button for acpid),
# isofs (the cloud-init seed).
needed=(virtio_pci virtio_blk virtio_balloon button evdev isofs)
# How long the self-test boot under TCG may take.
selftest_timeout=300

die() { echo "build-test-guest: $*" >&2; exit 1; }

mode=build
if [ "${1:-}" = --load-order ]; then
  mode=order
  shift
fi
out=${1:-/var/lib/libvirt/images/novacron-test}
self=$(realpath "$0")

# find_kernel sets kernel, kver and moddir.
find_kernel() {
  kernel=${NOVACRON_GUEST_KERNEL:-}
  if [ -z "$kernel" ]; then
    kernel=$(ls -1 /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n1 || true)
    [ -n "$kernel" ] || die "no /boot/vmlinuz-*-cloud-amd64: install linux-image-cloud-amd64"
  fi
  [ -f "$kernel" ] || die "kernel $kernel not found"
  kver=$(basename "$kernel")
  kver=${kver#vmlinuz-}
  moddir=${NOVACRON_GUEST_MODULES:-/lib/modules/$kver}
  [ -f "$moddir/modules.dep" ] ||
    die "no $moddir/modules.dep for kernel $kver: install its modules package, or run depmod $kver"
}

# modname sets REPLY to a module's name from its file's path:
# kernel/drivers/char/hw_random/virtio-rng.ko.xz → virtio_rng.
modname() {
  local n=${1##*/}
  n=${n%%.ko*}
  REPLY=${n//-/_}
}

# read_deps fills file (module → its path under moddir), deps (module → the
# modules it needs, from modules.dep) and builtin (modules.builtin).
declare -A file=() deps=() builtin=()
read_deps() {
  local path rest m d list
  while IFS=: read -r path rest; do
    [ -n "$path" ] || continue
    modname "$path"
    m=$REPLY
    file[$m]=$path
    list=()
    for d in $rest; do
      modname "$d"
      list+=("$REPLY")
    done
    deps[$m]=${list[*]:-}
  done <"$moddir/modules.dep"
  if [ -f "$moddir/modules.builtin" ]; then
    while read -r path; do
      [ -n "$path" ] || continue
      modname "$path"
      builtin[$REPLY]=1
    done <"$moddir/modules.builtin"
  fi
}

# visit appends a module to order after everything it needs (a depth-first
# topological sort of modules.dep).
declare -A state=()
order=()
visit() {
  local m=$1 d
  case ${state[$m]:-} in
  done) return ;;
  visiting) die "modules.dep of kernel $kver has a dependency cycle through module $m" ;;
  esac
  if [ -z "${file[$m]:-}" ]; then
    [ -n "${builtin[$m]:-}" ] && { state[$m]=done; return; }
    die "module $m is neither in $moddir/modules.dep nor built into kernel $kver: the test guest needs it"
  fi
  state[$m]=visiting
  for d in ${deps[$m]}; do visit "$d"; done
  state[$m]=done
  order+=("$m")
}

# copy_module writes a module's .ko, decompressed, to dst.
copy_module() {
  local m=$1 dst=$2 src=$moddir/${file[$1]} tool
  [ -f "$src" ] || die "module $m: $src is listed in modules.dep but missing"
  case $src in
  *.ko) cp "$src" "$dst"; return ;;
  *.ko.xz) tool=xz ;;
  *.ko.zst) tool=zstd ;;
  *.ko.gz) tool=gzip ;;
  *) die "module $m: cannot read $src (a compression this script does not know)" ;;
  esac
  command -v "$tool" >/dev/null || die "module $m is compressed ($src): install $tool to decompress it"
  "$tool" -dc "$src" >"$dst" || die "module $m: $tool could not decompress $src"
}

find_kernel
read_deps
for m in "${needed[@]}"; do visit "$m"; done
if [ "$mode" = order ]; then
  for m in "${order[@]}"; do echo "$m ${file[$m]}"; done
  exit 0
fi

busybox=/bin/busybox
if [ ! -x "$busybox" ] || [[ "$(ldd "$busybox" 2>&1 || true)" != *"not a dynamic"* ]]; then
  die "/bin/busybox is missing or not static: install busybox-static"
fi
qemu=$(command -v qemu-system-x86_64 || true)
[ -n "$qemu" ] || die "qemu-system-x86_64 is missing (it boots the guest once to check it): install qemu-system-x86"

stamp="$kver $moddir $(sha256sum "$self" | cut -c1-16)"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,etc,lib/modules,var}
cp "$busybox" "$root/bin/busybox"
for m in "${order[@]}"; do
  copy_module "$m" "$root/lib/modules/$m.ko"
  echo "$m" >>"$root/lib/modules/load-order"
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
say() { echo "$*" >/dev/ttyS0; }

# Modules in the order the build derived from the kernel's modules.dep.
failed=0
while read -r m; do
  err=$(insmod "/lib/modules/$m.ko" 2>&1) && continue
  say "NOVACRON-GUEST-ERROR module $m did not load: $err"
  failed=1
done </lib/modules/load-order
mkdir -p /var/run /var/log
acpid -c /etc/acpi -l /dev/null
uuid=$(cat /sys/class/dmi/id/product_uuid 2>/dev/null)
say "NOVACRON-GUEST-UP ${uuid:-unknown}"

# Wait, at most 20 s (not at all when a module did not load), for a disk
# per virtio block device on the PCI bus (vendor 0x1af4; device 0x1001
# transitional, 0x1042 modern).
want=0
for d in /sys/bus/pci/devices/*; do
  [ "$(cat "$d/vendor")" = 0x1af4 ] || continue
  case $(cat "$d/device") in 0x1001 | 0x1042) want=$((want + 1)) ;; esac
done
disks() { for b in /sys/block/vd*; do [ -e "/dev/${b##*/}" ] && echo "${b##*/}"; done; }
i=0
while [ "$failed" = 0 ] && [ "$(disks | wc -l)" -lt "$want" ] && [ "$i" -lt 100 ]; do
  usleep 200000
  i=$((i + 1))
done
have=$(disks | wc -l)
list=$(disks | tr '\n' ',')
say "NOVACRON-GUEST-DISKS ${list%,} ($have of $want virtio disks)"
[ "$have" -ge "$want" ] || say "NOVACRON-GUEST-ERROR only $have of $want virtio disks appeared (${list%,}) after $((i / 5)) s"

# A cloud-init seed (a NoCloud ISO on one of the disks): list its files and
# the hostname it gives, as cloud-init would read them.
mkdir -p /seed
for d in $(disks); do
  mount -t iso9660 -o ro "/dev/$d" /seed 2>/dev/null || continue
  say "NOVACRON-SEED files=$(ls /seed | tr '\n' ',') $(grep local-hostname /seed/meta-data)"
  break
done

# The build's self-test boot: report and power off.
if grep -qw novacron.selftest /proc/cmdline; then
  say "NOVACRON-SELFTEST-DONE"
  poweroff -f
fi
while true; do
  say "NOVACRON-GUEST-ALIVE $(cut -d' ' -f1 /proc/uptime)"
  sleep 2
done
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.img"
cp "$kernel" "$work/vmlinuz"

# selftest boots the new guest once under QEMU (TCG: no KVM needed) with one
# virtio disk, and fails naming each module that did not load.
selftest() {
  local log=$work/console.log
  truncate -s 1M "$work/disk.img"
  timeout "$selftest_timeout" "$qemu" -machine pc,accel=tcg -m 128 -smp 1 -nodefaults -no-reboot \
    -display none -serial "file:$log" -kernel "$work/vmlinuz" -initrd "$work/initrd.img" \
    -append "console=ttyS0 quiet panic=-1 novacron.selftest" \
    -drive "file=$work/disk.img,if=virtio,format=raw" >"$work/qemu.out" 2>&1 || true
  local errors
  errors=$(grep -a 'NOVACRON-GUEST-ERROR' "$log" 2>/dev/null | sed 's/^.*NOVACRON-GUEST-ERROR //' || true)
  [ -z "$errors" ] || die "the test guest of kernel $kver failed its self-test boot:
$errors"
  grep -aq 'NOVACRON-SELFTEST-DONE' "$log" 2>/dev/null ||
    die "the test guest of kernel $kver did not finish its self-test boot within ${selftest_timeout} s; QEMU said: $(cat "$work/qemu.out"); the console showed: $(tail -n 20 "$log" 2>/dev/null)"
}
selftest

mkdir -p "$out"
install -m 0644 "$work/vmlinuz" "$work/initrd.img" "$out/"
echo "$stamp" >"$out/stamp"
echo "build-test-guest: built $out (kernel $kver, modules ${order[*]})"
