#!/usr/bin/env bash
# Starts two more libvirt daemons on this machine, hosts "hv-a" and "hv-b"
# of the live-migration test, next to the main one of scripts/libvirt-up.sh
# (run that first; `make test` runs both).
# Idempotent: a daemon that already answers is left alone.
#
# Each runs in its own mount namespace, over which its own folders are
# bind-mounted: /run/libvirt (sockets), /etc/libvirt (config, with its own
# host_uuid), /var/lib/libvirt/qemu, /var/cache/libvirt and /var/log/libvirt.
# So the two are as separate as two machines to libvirt, yet both see
# /var/lib/libvirt/images: the VMs' disks are on storage both hosts share,
# as live migration needs. They listen on TCP without authentication on
# 127.0.0.1 only (test set-ups only; see docs/drivers/libvirt.md for TLS):
#
#   hv-a  qemu+tcp://127.0.0.1:16601/system
#   hv-b  qemu+tcp://127.0.0.1:16602/system
#
# Their files live in /var/lib/novacron-hosts/<host>.
set -euo pipefail
cd "$(dirname "$0")/.."

base=/var/lib/novacron-hosts
images=/var/lib/libvirt/images

die() { echo "libvirt-hosts-up: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root: it starts libvirt daemons in mount namespaces"
command -v unshare >/dev/null || die "unshare (util-linux) is missing"
[ -S /run/libvirt/libvirt-sock ] || die "run scripts/libvirt-up.sh first: it installs libvirt and starts the main daemon"

answers() { virsh -q -c "qemu+tcp://127.0.0.1:$1/system" uri >/dev/null 2>&1; }

# configure writes a host's own copy of /etc/libvirt.
configure() {
  local dir=$1 port=$2 uuid=$3 migration_port=$4
  rm -rf "$dir/etc"
  mkdir -p "$dir"/{etc,run,qemu,cache,log}
  cp -a /etc/libvirt/. "$dir/etc/"
  rm -rf "$dir/etc/qemu/networks/autostart" "$dir/etc/storage" "$dir/etc/qemu/"*.xml
  cat >>"$dir/etc/libvirtd.conf" <<EOF

# novacron test host ($dir)
listen_tls = 0
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$port"
auth_tcp = "none"
host_uuid = "$uuid"
EOF
  cat >>"$dir/etc/qemu.conf" <<EOF

# novacron test host: QEMU runs in this daemon's mount namespace as it is
namespaces = [ ]
migration_port_min = $migration_port
migration_port_max = $((migration_port + 15))
EOF
}

# start runs virtlogd and libvirtd in a new mount namespace.
start() {
  local dir=$1
  unshare --mount --propagation private -- bash -euc '
    dir=$1
    mount --bind "$dir/run" /run/libvirt
    mount --bind "$dir/etc" /etc/libvirt
    mount --bind "$dir/qemu" /var/lib/libvirt/qemu
    mount --bind "$dir/cache" /var/cache/libvirt
    mount --bind "$dir/log" /var/log/libvirt
    virtlogd -d -p "$dir/virtlogd.pid"
    libvirtd -d -l -p "$dir/libvirtd.pid"
  ' _ "$dir" || die "cannot start the libvirt daemons of $dir; see $dir/log/libvirtd.log"
}

# wait_ready polls the host's TCP port for at most 30 s.
wait_ready() {
  for _ in $(seq 1 150); do
    answers "$1" && return
    sleep 0.2
  done
  die "the libvirtd of port $1 did not answer within 30 s"
}

# pool defines the shared storage pool "default" on the host.
pool() {
  local v="virsh -q -c qemu+tcp://127.0.0.1:$1/system"
  $v pool-info default >/dev/null 2>&1 ||
    $v pool-define-as default dir --target "$images" >/dev/null
  [[ "$($v pool-info default)" == *running* ]] || $v pool-start default >/dev/null
}

up() {
  local name=$1 port=$2 uuid=$3 migration_port=$4 dir=$base/$1
  if ! answers "$port"; then
    configure "$dir" "$port" "$uuid" "$migration_port"
    start "$dir"
    wait_ready "$port"
  fi
  pool "$port"
  echo "libvirt-hosts-up: $name is qemu+tcp://127.0.0.1:$port/system"
}

up hv-a 16601 7e8f0a01-0000-4000-8000-00000000000a 49300
up hv-b 16602 7e8f0a01-0000-4000-8000-00000000000b 49400
