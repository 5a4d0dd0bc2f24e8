#!/usr/bin/env bash
# Runs the scale benchmarks of docs/benchmarks.md ("VM inventory at scale"): the *Benchmark classes of the
# Maven profile `benchmark`, and no test. Three libvirt test:/// hosts of 1,000 VMs each, generated under
# target/benchmark/hosts; headless Chromium (/usr/bin/chromium) for the browser figures. Needs no root and no
# libvirt daemon; when one runs (/run/libvirt/libvirt-sock) and lets this user in, the inventory figures are
# also taken through it, over RPC. Takes about 7 minutes on 2 cores.
#
# Extra arguments go to Maven, e.g.:
#   scripts/benchmark.sh -Dit.test=InventoryScaleBenchmark     # one benchmark only
#   scripts/benchmark.sh -Dbenchmark.heapDump=true             # also dump the heap with the open lists
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

if [[ ! -x /usr/bin/chromium ]]; then
    echo "The browser benchmarks drive Debian's Chromium: install it first (apt-get install chromium)." >&2
    exit 1
fi
JAVA_HOME="$(find_java_home)"
export JAVA_HOME

out=target/benchmark
mkdir -p "$out"
rm -f "$out"/*.md "$out"/heap-*.txt "$out"/*.hprof

{
    describe_machine
    echo "- Load before: $(uptime)"
} >"$out/machine.md"

status=0
echo "Running the benchmarks; Maven's output goes to $out/maven.log."
# The console benchmarks need root, websockify and Cockpit: scripts/benchmark-console.sh runs them.
./mvnw -B -Pbenchmark verify -Dit.test='InventoryScaleBenchmark,VmList*Benchmark' "$@" >"$out/maven.log" 2>&1 || status=$?
echo "- Load after: $(uptime)" >>"$out/machine.md"

echo
cat "$out/machine.md"
echo
for report in "$out"/inventory-scale.md "$out"/vm-list-first-page.md "$out"/vm-list-heap.md; do
    if [[ -f "$report" ]]; then
        grep -h '^RESULT' "$report" || true
    fi
done
echo
echo "Full reports: $out/*.md; histograms: $out/heap-*.txt; hosts: $out/hosts/"
if ((status != 0)); then
    echo
    grep -E '^\[(ERROR|WARNING)\] (Tests run|.*Benchmark|Failed)|BUILD FAILURE' "$out/maven.log" | head -20 || true
    echo "The benchmark run failed (exit $status): see $out/maven.log." >&2
fi
exit "$status"
