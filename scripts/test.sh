#!/usr/bin/env bash
# Runs every test: unit, integration (real libvirt, real QEMU guests, PostgreSQL) and browser tests.
# Installs and starts everything they need first (libvirt, QEMU, the demo guests, PostgreSQL, Chromium),
# so it works on a fresh Debian/Ubuntu machine. Extra arguments go to Maven (e.g. -Dit.test=DemoHostIT).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_root

# dnsmasq-base: libvirt needs it to start NAT networks (StorageIT starts a throwaway one); only recommended by
# libvirt-daemon-system, so --no-install-recommends leaves it out. genisoimage makes the real ISO and UDF images
# that the upload tests send (uploads are checked for a disc image's volume descriptors).
EXTRA_PACKAGES="chromium postgresql dnsmasq-base genisoimage" scripts/demo-host.sh
scripts/second-host.sh start   # a second libvirtd (qemu+tcp://127.0.0.1:16510/system) for the migration tests

# Tests start from shut-off demo VMs; other domains on the host are left alone.
for vm in demo-alpha demo-bravo demo-charlie; do
    virsh -q -c qemu:///system destroy "$vm" >/dev/null 2>&1 || true
done

start_postgres() {
    local cluster
    cluster="$(pg_lsclusters --no-header | awk 'NR == 1 {print $1 " " $2}')"
    if [[ -z "$cluster" ]]; then
        pg_createcluster "$(basename "$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 | sort -V | tail -1)")" main
        cluster="$(pg_lsclusters --no-header | awk 'NR == 1 {print $1 " " $2}')"
    fi
    # shellcheck disable=SC2086 # two words on purpose: version and cluster name
    pg_ctlcluster $cluster start 2>/dev/null || true
    for _ in $(seq 1 30); do
        su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
        sleep 1
    done
    # A new, empty database each run, so the Flyway migrations themselves are tested.
    su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
do $$ begin
    if not exists (select from pg_roles where rolname = 'kvmportal') then
        create role kvmportal login password 'kvmportal';
    end if;
end $$;
drop database if exists kvmportal_test;
create database kvmportal_test owner kvmportal;
SQL
}
start_postgres

require_npm
JAVA_HOME="$(find_java_home)"
export JAVA_HOME
exec ./mvnw -B verify "$@"
