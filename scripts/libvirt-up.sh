#!/usr/bin/env bash
# Installs (when missing) and starts the libvirt daemons the libvirt driver's
# tests and examples/libvirt run against, then makes sure the storage pool
# "default" and the tiny test guest exist. Idempotent: a second run only
# checks. Without systemd: virtlogd and libvirtd are started as daemons and
# found again by their pidfiles.
#
#   scripts/libvirt-up.sh          # install if needed, start, prepare
#
# Exits non-zero with a message saying what is missing when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt.sh

# xz-utils and zstd unpack kernel modules of builds that compress them (and
# the test guest's tests compress modules with them, and with gzip).
packages=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils
  busybox-static linux-image-cloud-amd64 cpio xz-utils zstd)
socket=/run/libvirt/libvirt-sock
pool_dir=/var/lib/libvirt/images

die() { echo "libvirt-up: $*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] && return
  die "must run as root to install and start libvirtd (it is run by 'make test'); run it with sudo once, or start libvirtd yourself and add your user to the libvirt group"
}

# install_missing installs the packages dpkg does not list as installed.
install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  need_root
  echo "libvirt-up: installing ${missing[*]} (about 1.5 minutes)"
  apt_install libvirt-up "${missing[@]}"
}

# running reports whether the pidfile names a live process of that program.
running() {
  local pidfile=$1 prog=$2 pid
  [ -s "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -d "/proc/$pid" ] && grep -q "$prog" "/proc/$pid/comm" 2>/dev/null
}

# kvm_group gives libvirt-qemu the group of /dev/kvm when it has no name or
# another one (containers): otherwise libvirt re-probes QEMU on every define.
kvm_group() {
  [ -e /dev/kvm ] || return 0
  local gid
  gid=$(stat -c %g /dev/kvm)
  getent group "$gid" >/dev/null || groupadd -g "$gid" kvmhost
  id -G libvirt-qemu 2>/dev/null | tr ' ' '\n' | grep -qx "$gid" ||
    usermod -a -G "$(getent group "$gid" | cut -d: -f1)" libvirt-qemu
}

start_daemons() {
  mkdir -p /var/log/libvirt /run/libvirt
  if ! running /run/virtlogd.pid virtlogd; then
    need_root
    virtlogd -d || die "virtlogd did not start (QEMU domains cannot start without it)"
  fi
  if ! running /run/libvirtd.pid libvirtd; then
    need_root
    kvm_group
    libvirtd -d || die "libvirtd did not start; see /var/log/libvirt/ and run 'libvirtd' in the foreground to see why"
  fi
}

# wait_ready polls the socket until libvirtd answers, for at most 30 s.
wait_ready() {
  for _ in $(seq 1 150); do
    [ -S "$socket" ] && virsh -q -c qemu:///system uri >/dev/null 2>&1 && return
    sleep 0.2
  done
  die "libvirtd did not answer on $socket within 30 s; see /var/log/libvirt/libvirtd.log"
}

# default_pool defines, starts and autostarts the dir pool "default".
default_pool() {
  local v="virsh -q -c qemu:///system"
  if ! $v pool-info default >/dev/null 2>&1; then
    mkdir -p "$pool_dir"
    $v pool-define-as default dir --target "$pool_dir" >/dev/null || die "cannot define the storage pool default at $pool_dir"
    $v pool-autostart default >/dev/null
  fi
  if [[ "$($v pool-info default)" != *running* ]]; then
    $v pool-start default >/dev/null || die "cannot start the storage pool default at $pool_dir"
  fi
}

# base_volume makes the empty base volume templates of the tests use.
base_volume() {
  local v="virsh -q -c qemu:///system"
  $v vol-info --pool default novacron-test-base.qcow2 >/dev/null 2>&1 && return
  $v vol-create-as default novacron-test-base.qcow2 16M --format qcow2 >/dev/null ||
    die "cannot create the volume novacron-test-base.qcow2 in the pool default"
}

install_missing
start_daemons
wait_ready
default_pool
base_volume
scripts/build-test-guest.sh
