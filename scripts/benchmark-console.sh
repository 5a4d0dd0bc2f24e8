#!/usr/bin/env bash
# Runs the console benchmarks of docs/benchmarks.md ("Browser console"): the VNC relay against Debian's websockify
# in front of one fake VNC server, with socat as a plain TCP relay for reference (ConsoleRelayBenchmark: throughput,
# CPU per MB, echo round trips, connect time, heap per idle console, a browser that stops reading), and click to first frame in headless Chromium, ours against
# Cockpit-machines on the demo guest demo-bravo (ConsoleFirstFrameBenchmark). About 2.5 minutes on 2 cores after
# the build.
#
# Runs as root: installs what is missing (websockify, socat, chromium, Cockpit with cockpit-machines, and what the demo
# host needs), starts libvirtd, a system D-Bus and libvirt-dbus when they are not running (Cockpit reaches libvirt
# through libvirt-dbus; the recipe is in ../shared/FACTS.md) and stops again what it started. demo-bravo is used
# only if it is shut off at the start, and is forced off at the end.
#
# Extra arguments go to Maven, e.g.:
#   scripts/benchmark-console.sh -Dit.test=ConsoleRelayBenchmark        # the relay against websockify only
#   scripts/benchmark-console.sh -Dbenchmark.jfr=true                   # also a flight recording of the relay
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_root

# The demo host (libvirt, QEMU, the demo guests) plus the peers; all with --no-install-recommends.
EXTRA_PACKAGES="chromium websockify socat cockpit-ws cockpit-bridge cockpit-system cockpit-machines" scripts/demo-host.sh

out=target/benchmark
mkdir -p "$out"
rm -f "$out"/console-relay.md "$out"/console-first-frame.md "$out"/heap-console-*.txt

started=()
# shellcheck disable=SC2317 # called by the EXIT trap
stop_started() {
    local pid
    for pid in "${started[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
}
trap stop_started EXIT

# Cockpit talks to libvirt over the system bus through libvirt-dbus; no systemd runs them here.
if ! dbus-send --system --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetId >/dev/null 2>&1; then
    mkdir -p /run/dbus
    rm -f /run/dbus/pid # left by a bus that was killed; the daemon refuses to start over it
    started+=("$(dbus-daemon --system --fork --print-pid)")
fi
policy=/etc/dbus-1/system.d/zz-kvmportal-libvirt-root.conf
if [[ ! -f "$policy" ]]; then
    # libvirt-dbus's own policy lets only its user own the bus name; here it runs as root.
    cat >"$policy" <<'XML'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><policy user="root"><allow own="org.libvirt"/><allow send_destination="org.libvirt"/></policy></busconfig>
XML
    dbus-send --system --type=method_call --dest=org.freedesktop.DBus / org.freedesktop.DBus.ReloadConfig
fi
if ! pgrep -x libvirt-dbus >/dev/null; then
    setsid /usr/sbin/libvirt-dbus --system >"$out/libvirt-dbus.log" 2>&1 </dev/null &
    started+=("$!")
fi

JAVA_HOME="$(find_java_home)"
export JAVA_HOME
{
    describe_machine
    echo "- websockify: $(dpkg-query -W -f '${Version}' websockify), $(python3 --version), numpy $(dpkg-query -W -f '${Version}' python3-numpy 2>/dev/null || echo none)"
    echo "- socat (the plain TCP relay for reference): $(dpkg-query -W -f '${Version}' socat)"
    echo "- Cockpit: cockpit-ws $(dpkg-query -W -f '${Version}' cockpit-ws), cockpit-machines $(dpkg-query -W -f '${Version}' cockpit-machines)"
    echo "- QEMU: $(dpkg-query -W -f '${Version}' qemu-system-x86)"
    echo "- Load before: $(uptime)"
} >"$out/console-machine.md"

status=0
echo "Running the console benchmarks; Maven's output goes to $out/console-maven.log."
./mvnw -B -Pbenchmark verify -Dit.test='Console*Benchmark' "$@" >"$out/console-maven.log" 2>&1 || status=$?
echo "- Load after: $(uptime)" >>"$out/console-machine.md"

echo
cat "$out/console-machine.md"
echo
for report in "$out"/console-relay.md "$out"/console-first-frame.md; do
    if [[ -f "$report" ]]; then
        grep -h '^RESULT' "$report" || true
    fi
done
echo
echo "Full reports: $out/console-relay.md, $out/console-first-frame.md; histograms: $out/heap-console-*.txt"
if ((status != 0)); then
    echo
    grep -E '^\[(ERROR|WARNING)\] (Tests run|.*Benchmark|Failed)|BUILD FAILURE' "$out/console-maven.log" | head -20 || true
    echo "The benchmark run failed (exit $status): see $out/console-maven.log." >&2
fi
exit "$status"
