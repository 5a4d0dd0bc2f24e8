#!/usr/bin/env bash
# second-host.sh - a second libvirt "host" on this machine, for migration tests.
#
# Usage:
#   scripts/second-host.sh start     start it (no-op when it already answers)
#   scripts/second-host.sh stop      stop it and every guest it runs (no-op when it is not running)
#   scripts/second-host.sh status    say whether it answers (exit 0) or not (exit 1)
#
# It is a second libvirtd in its own mount namespace: /etc/libvirt, /run/libvirt, /var/lib/libvirt,
# /var/cache/libvirt and /var/log/libvirt are bind-mounted from SECOND_HOST_DIR there, so it has its own
# sockets, pid and state files, QEMU runtime directories and domain definitions, and never sees or touches
# the main daemon's. It listens on TCP, on loopback only, without authentication:
#
#   qemu+tcp://127.0.0.1:16510/system
#
# What keeps the two daemons from fighting (see docs/adr/0012-live-migration.md):
#   - its own host UUID: libvirt refuses to migrate "to the same host" when both daemons report one UUID;
#   - its own VNC, WebSocket and migration port ranges, so the two port allocators never pick one port;
#   - no cgroups of its own (the main daemon's machine cgroup names would collide for a migrating guest);
#   - QEMU writes its log straight to a file (no virtlogd, whose pid file and socket are the main one's).
# Everything else on the machine (disk image paths, kernel files) is shared, like shared storage.
#
# Environment:
#   SECOND_HOST_DIR   its state (default /var/lib/kvm-portal/second-host)
#   SECOND_HOST_PORT  its TCP port (default 16510)

set -euo pipefail

readonly DIR="${SECOND_HOST_DIR:-/var/lib/kvm-portal/second-host}"
readonly PORT="${SECOND_HOST_PORT:-16510}"
readonly URI="qemu+tcp://127.0.0.1:$PORT/system"
readonly PIDFILE="$DIR/libvirtd.pid"
# The daemon runs under this name (a link to libvirtd), so that `pgrep -x libvirtd` / `pkill -x libvirtd` in
# demo-host.sh and in tests that stop or freeze the main daemon never mistake it for the main one.
readonly NAME="libvirtd-second"
# Fixed, so that the host looks the same to the portal after a restart. Any UUID but the main daemon's does.
readonly HOST_UUID="6b1e2f0a-5c3d-4e7f-8a9b-0c1d2e3f4a5b"

log() { printf '[second-host] %s\n' "$*"; }
die() { printf '[second-host] ERROR: %s\n' "$*" >&2; exit 1; }

answers() { virsh -c "$URI" version >/dev/null 2>&1; }

running_pid() {
    local pid
    [[ -s "$PIDFILE" ]] || return 1
    pid="$(cat "$PIDFILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$NAME" ]] \
        && echo "$pid"
}

write_config() {
    mkdir -p "$DIR"/{etc,run,lib,cache,log}
    mkdir -p "$DIR"/etc/{qemu/networks/autostart,qemu/autostart,storage/autostart,secrets,nwfilter,hooks}
    mkdir -p "$DIR"/log/qemu
    chmod 755 "$DIR"
    # The QEMU driver's directories, as the package makes them (QEMU runs as libvirt-qemu).
    local d
    install -d -m 755 "$DIR/lib"/{boot,dnsmasq,images}
    install -d -m 750 -o libvirt-qemu -g libvirt-qemu "$DIR/lib/qemu" "$DIR/lib/qemu/channel"
    for d in snapshot dump checkpoint nvram save ram channel/target; do
        install -d -m 755 -o libvirt-qemu -g libvirt-qemu "$DIR/lib/qemu/$d"
    done
    cat >"$DIR/etc/libvirtd.conf" <<EOF
# Written by scripts/second-host.sh: loopback TCP without authentication, for tests on this machine only.
listen_tls = 0
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$PORT"
auth_tcp = "none"
unix_sock_group = "root"
unix_sock_rw_perms = "0700"
host_uuid = "$HOST_UUID"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
EOF
    cat >"$DIR/etc/qemu.conf" <<'EOF'
# Written by scripts/second-host.sh: ranges apart from the main daemon's defaults (5900-65535, 49152-49215).
remote_display_port_min = 6900
remote_display_port_max = 6999
remote_websocket_port_min = 6700
remote_websocket_port_max = 6799
migration_port_min = 49400
migration_port_max = 49499
cgroup_controllers = [ ]
stdio_handler = "file"
EOF
    # The client side of libvirt reads /etc/libvirt/libvirt.conf; an empty one is fine.
    : >"$DIR/etc/libvirt.conf"
}

do_start() {
    [[ $EUID -eq 0 ]] || die "start: must run as root"
    command -v libvirtd >/dev/null || die "start: libvirtd not installed (scripts/demo-host.sh install)"
    if answers; then
        log "start: already answers on $URI"
        return 0
    fi
    if running_pid >/dev/null; then
        die "start: libvirtd $(running_pid) runs but does not answer on $URI; try '$0 stop' first"
    fi
    write_config
    ln -sfn "$(command -v libvirtd)" "$DIR/$NAME"
    rm -f "$PIDFILE"
    # A private mount namespace: the bind mounts exist only for the daemon and the QEMU processes it starts.
    unshare --mount --propagation private -- /bin/bash -c '
        set -e
        d="$1"
        mount --bind "$d/etc" /etc/libvirt
        mount --bind "$d/run" /run/libvirt
        mount --bind "$d/lib" /var/lib/libvirt
        mount --bind "$d/cache" /var/cache/libvirt
        mount --bind "$d/log" /var/log/libvirt
        exec "$d/$2" --daemon --listen --pid-file "$d/libvirtd.pid"
    ' second-host "$DIR" "$NAME"
    local i
    for ((i = 0; i < 60; i++)); do
        if answers; then
            log "start: libvirtd $(running_pid || echo '?') answers on $URI"
            return 0
        fi
        sleep 0.5
    done
    die "start: no answer on $URI after 30 s (see $DIR/log/libvirtd.log)"
}

do_stop() {
    local pid i name
    pid="$(running_pid)" || { log "stop: not running"; return 0; }
    # Its guests first: a guest left behind would keep the namespace's mounts alive, unseen by anyone.
    if answers; then
        for name in $(virsh -q -c "$URI" list --name 2>/dev/null); do
            virsh -q -c "$URI" destroy "$name" >/dev/null 2>&1 || true
        done
    fi
    kill "$pid"
    for ((i = 0; i < 40; i++)); do
        kill -0 "$pid" 2>/dev/null || { log "stop: stopped libvirtd $pid"; return 0; }
        sleep 0.25
    done
    die "stop: libvirtd $pid did not exit within 10 s"
}

do_status() {
    if answers; then
        log "status: libvirtd $(running_pid || echo '?') answers on $URI"
        virsh -c "$URI" list --all
        return 0
    fi
    log "status: not answering on $URI"
    return 1
}

case "${1:-status}" in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    *) die "usage: $0 start|stop|status" ;;
esac
