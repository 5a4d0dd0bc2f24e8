#!/usr/bin/env bash
# demo-host.sh - turn this machine into a small KVM/libvirt host with three
# demo VMs, so KVM Portal has something real to show and to manage.
#
# Usage:
#   scripts/demo-host.sh            same as: install daemons guest define template
#   scripts/demo-host.sh install    install missing host packages (apt, root)
#   scripts/demo-host.sh daemons    start virtlogd + libvirtd (no systemd needed)
#   scripts/demo-host.sh guest      build the tiny demo guest (kernel + initrd)
#   scripts/demo-host.sh define     define demo-alpha, demo-bravo, demo-charlie
#   scripts/demo-host.sh template   define the storage pool kvm-portal (for VMs the portal
#                                   creates) and the shut-off demo-template, whose disk is a
#                                   volume in that pool (the portal clones it)
#   scripts/demo-host.sh status     show what is there
# Several steps may be given at once, e.g. `demo-host.sh daemons define`.
#
# Environment:
#   EXTRA_PACKAGES    more Debian packages for `install` (e.g. "chromium postgresql")
#   DEMO_DOMAIN_TYPE  libvirt domain type, default "qemu" (TCG). "kvm" is faster
#                     but nested KVM is unreliable on typical CI/cloud VMs
#                     (the guest kernel can hang at boot), so it is opt-in.
#   DEMO_REDEFINE=1   redefine our demo domains even if they look up to date
#   DEMO_DIR          where the guest and disks live (default /var/lib/kvm-portal/demo)
#   LIBVIRT_URI       default qemu:///system
#
# Every step is idempotent: a second run checks, finds everything in place and
# changes nothing. The script never touches libvirt domains it did not create
# (ours carry a <metadata> marker, see DEMO_NS below).
#
# The guest is a Debian cloud kernel + busybox initramfs (no disk OS, built
# offline from two .deb files): it boots in a few seconds even under TCG,
# shows a root shell on the VGA console (VNC) and on the serial console, gets
# 10.0.2.15 by DHCP on its user-mode NIC and powers off on an ACPI shutdown.
#
# To remove everything again (only when the VMs are shut off):
#   for d in demo-alpha demo-bravo demo-charlie demo-template; do virsh -c qemu:///system undefine "$d"; done
#   virsh -c qemu:///system vol-delete demo-template.qcow2 --pool kvm-portal
#   rm -rf /var/lib/kvm-portal/demo
# (VMs the portal created keep their volumes in the kvm-portal pool; delete those first.)

set -euo pipefail

SELF="$(readlink -f "${BASH_SOURCE[0]}")"
readonly SELF
readonly URI="${LIBVIRT_URI:-qemu:///system}"
readonly DEMO_DIR="${DEMO_DIR:-/var/lib/kvm-portal/demo}"
readonly DISK_DIR="$DEMO_DIR/disks"
readonly KERNEL="$DEMO_DIR/vmlinuz"
readonly INITRD="$DEMO_DIR/initrd.img"
readonly STAMP="$DEMO_DIR/.recipe-stamp"
# Namespace of the metadata element that marks a domain as "created by this
# script". It is how we tell our domains from anybody else's.
readonly DEMO_NS="https://kvm-portal.org/xmlns/demo/1"
readonly DEMO_VMS=(demo-alpha demo-bravo demo-charlie)
# The portal's own directory storage pool, and the template VM whose disk is a volume in it.
readonly POOL_NAME="${PORTAL_POOL:-kvm-portal}"
readonly POOL_DIR="${PORTAL_POOL_DIR:-/var/lib/kvm-portal/images}"
readonly TEMPLATE_VM=demo-template
readonly HOST_PACKAGES=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils)

log()  { printf '[demo-host] %s\n' "$*"; }
warn() { printf '[demo-host] WARNING: %s\n' "$*" >&2; }
die()  { printf '[demo-host] ERROR: %s\n' "$*" >&2; exit 1; }

virsh_() { virsh -q -c "$URI" "$@"; }

# ---------------------------------------------------------------------------
# install
# ---------------------------------------------------------------------------

# dpkg-query is cheap and needs no root, so a second run is fast and quiet.
pkg_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

do_install() {
    local -a wanted=("${HOST_PACKAGES[@]}") missing=()
    local p
    # EXTRA_PACKAGES is a whitespace-separated list; word splitting is intended.
    # shellcheck disable=SC2206
    wanted+=(${EXTRA_PACKAGES:-})

    if ! command -v dpkg-query >/dev/null 2>&1; then
        die "not a Debian/Ubuntu system; install the equivalents of: ${wanted[*]}"
    fi
    for p in "${wanted[@]}"; do
        pkg_installed "$p" || missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then
        log "install: all packages present (${wanted[*]})"
        return 0
    fi
    if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        printf 'Missing packages. Please run as root:\n  apt-get install -y --no-install-recommends %s\n' \
            "${missing[*]}" >&2
        exit 1
    fi
    # Something must be installed: refresh the package lists first. On a new
    # machine they may be missing or stale, and a stale list names package
    # versions the mirror no longer serves. Nothing missing means no update.
    log "install: refreshing package lists for: ${missing[*]}"
    apt-get update -o DPkg::Lock::Timeout=600
    log "install: apt-get install ${missing[*]}"
    # Lock::Timeout: another apt run (e.g. a provisioning job) may hold the
    # dpkg lock; wait for it instead of failing right away.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        -o DPkg::Lock::Timeout=600 "${missing[@]}"
}

# ---------------------------------------------------------------------------
# daemons
# ---------------------------------------------------------------------------

libvirt_answers() { virsh -c "$URI" version >/dev/null 2>&1; }

do_daemons() {
    [[ $EUID -eq 0 ]] || die "daemons: must run as root (starts system libvirtd)"
    command -v libvirtd >/dev/null 2>&1 || die "libvirtd not found; run '$0 install' first"

    # Without systemd nobody creates these at boot; virtlogd/libvirtd fail
    # (or log nowhere) without them.
    mkdir -p /var/log/libvirt/qemu /run/libvirt

    # The QEMU processes run as libvirt-qemu:kvm. On containers/CI the device
    # node is often root:root 0600, which would make type='kvm' domains fail.
    # /dev/kvm may not exist at all (no nested virt) - then TCG is all we have.
    if [[ -c /dev/kvm ]] && getent group kvm >/dev/null; then
        chgrp kvm /dev/kvm
        chmod 660 /dev/kvm
    fi

    # Poll instead of "start once, then wait": a libvirtd that was just
    # killed can take a few seconds to exit, and during that time pgrep still
    # sees it. Starting a second one then would fail on its pid file lock, so
    # we keep checking and start it as soon as the old one is really gone.
    local i
    for ((i = 0; i < 30; i++)); do
        # virtlogd first: libvirtd hands QEMU's stdout/stderr to it, and
        # starting a domain fails if it is not there.
        if ! pgrep -x virtlogd >/dev/null; then
            log "daemons: starting virtlogd"
            virtlogd -d || true
        fi
        if libvirt_answers; then
            log "daemons: libvirtd answers on $URI"
            break
        fi
        if ! pgrep -x libvirtd >/dev/null; then
            log "daemons: starting libvirtd"
            libvirtd -d || true
        fi
        sleep 0.5
    done
    libvirt_answers || die "daemons: libvirtd does not answer on $URI after 15 s (see /var/log/libvirt/)"

    # We deliberately use plain file paths for kernel, initrd and disks, never
    # a storage pool: on a fresh install the 'default' pool may be missing,
    # inactive or pointing somewhere odd, and none of that must matter here.
    # libvirt's 'default' network is not used either (user-mode NIC, see below).
}

# ---------------------------------------------------------------------------
# guest
# ---------------------------------------------------------------------------
# Everything between the BEGIN/END markers is hashed into the stamp file, so
# editing the recipe automatically triggers a rebuild on the next run.

recipe_hash() {
    sed -n '/^# --- BEGIN guest recipe ---$/,/^# --- END guest recipe ---$/p' "$SELF" \
        | sha256sum | cut -c1-16
}

guest_built() {
    [[ -s "$KERNEL" && -s "$INITRD" && -f "$STAMP" ]] \
        && [[ "$(cat "$STAMP")" == "$(recipe_hash)" ]]
}

# --- BEGIN guest recipe ---
# Recipe: Debian's signed "cloud" kernel (small, has virtio, serial, VGA text
# console and the ACPI button as a module) + busybox-static as the whole
# userland, packed into an initramfs. No root filesystem, no network, no
# downloads besides two .deb files from the configured Debian mirror.

# Newest linux-image-6.1.0-N-cloud-amd64 (the signed one: the exact-name regex
# excludes the -unsigned and -dbg variants).
newest_cloud_kernel_pkg() {
    apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' \
        | awk '{print $1}' | sort -V | tail -n 1
}

# Kernel modules copied into the initramfs, in load order (dependencies
# first: there is no modules.dep/modprobe in the guest, just insmod).
#  - button, evdev: busybox acpid needs the ACPI power button as an input
#    event device, otherwise 'virsh shutdown' is ignored. Required.
#  - virtio*: NIC and disk, so the guest shows eth0 with a DHCP address from
#    QEMU's user-mode network and a /dev/vda. Nice to have only.
readonly GUEST_MODULES=(
    drivers/acpi/button drivers/input/evdev
    drivers/virtio/virtio_ring drivers/virtio/virtio
    drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
    drivers/virtio/virtio_pci
    net/core/failover drivers/net/net_failover drivers/net/virtio_net
    drivers/block/virtio_blk
)

# /init: PID 1 of the guest. Only what busybox init itself needs (pseudo
# filesystems and a console), everything else is in /etc/rc.sysinit.
write_guest_init() {
    cat >"$1" <<'EOF'
#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
# The kernel may have started us without a usable console; now that
# devtmpfs is mounted /dev/console certainly exists.
exec </dev/console >/dev/console 2>&1
exec /sbin/init
EOF
}

# Runs once at boot (inittab sysinit), before the shells and acpid start.
write_guest_rcsysinit() {
    cat >"$1" <<'EOF'
#!/bin/sh
while read -r m; do
    insmod "/lib/modules/$m.ko" || echo "rc.sysinit: insmod $m failed"
done </lib/modules/load-order
# hostname=NAME on the kernel command line (set per VM by demo-host.sh)
host=demo
for arg in $(cat /proc/cmdline); do
    case "$arg" in hostname=?*) host="${arg#hostname=}" ;; esac
done
hostname "$host"
echo "$host" >/etc/hostname
ip link set lo up
# QEMU user-mode networking answers DHCP at once (10.0.2.15); -b: never
# block the boot if there is no NIC or no answer.
if [ -e /sys/class/net/eth0 ]; then
    udhcpc -b -q -t 3 -i eth0 -s /etc/udhcpc.script >/dev/null 2>&1
fi
# Boot messages are nice to watch, but later ones (e.g. "eth0: link becomes
# ready") would scribble over the shell prompts: only errors from now on.
dmesg -n 3
echo "KVM Portal demo guest booted"
EOF
}

# busybox udhcpc has no built-in configuration logic; it calls this script.
write_guest_udhcpc_script() {
    cat >"$1" <<'EOF'
#!/bin/sh
case "$1" in
    deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
    bound | renew)
        ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}" up
        for r in $router; do route add default gw "$r" dev "$interface"; break; done
        : >/etc/resolv.conf
        for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done ;;
esac
exit 0
EOF
}

# busybox init configuration. A root shell is respawned on the VGA console
# (tty1, what the portal's VNC view shows) and on the serial port (ttyS0,
# what `virsh console` shows); no login, this is a throw-away demo.
write_guest_inittab() {
    cat >"$1" <<'EOF'
::sysinit:/etc/rc.sysinit
tty1::respawn:-/bin/sh
ttyS0::respawn:-/bin/sh
# acpid turns the ACPI power button (virsh shutdown / "Shut down" in the
# portal) into /etc/acpi/PWRF/00000080. -f: stay in foreground for respawn.
::respawn:/sbin/acpid -f
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/echo "KVM Portal demo guest: shutting down"
::shutdown:/bin/sync
::shutdown:/bin/umount -a -r
EOF
}

write_guest_profile() {
    cat >"$1" <<'EOF'
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
export HOME=/root
export PS1='\h:\w\$ '
cd "$HOME"
echo
echo "KVM Portal demo guest - busybox shell on $(hostname) ($(tty))"
echo "Type 'poweroff' to shut down, or use Shut down in the portal."
echo
EOF
}

build_guest() {
    local work deb_dir root kpkg kver bb a m src
    work="$(mktemp -d "${TMPDIR:-/tmp}/demo-guest.XXXXXX")"
    # shellcheck disable=SC2064  # expand $work now, on purpose
    trap "rm -rf '$work'" EXIT
    deb_dir="$work/debs"
    root="$work/root"
    mkdir -p "$deb_dir" "$work/x" "$root"

    kpkg="$(newest_cloud_kernel_pkg)"
    if [[ -z "$kpkg" && $EUID -eq 0 ]]; then
        log "guest: no cloud kernel in package lists, running apt-get update"
        apt-get update
        kpkg="$(newest_cloud_kernel_pkg)"
    fi
    [[ -n "$kpkg" ]] || die "guest: no linux-image-6.1.0-*-cloud-amd64 package found (apt-get update?)"
    log "guest: downloading $kpkg and busybox-static"
    # Sandbox user root: the _apt user could not write into our mktemp dir.
    (cd "$deb_dir" && apt-get download -q -o APT::Sandbox::User=root "$kpkg" busybox-static >/dev/null)
    for a in "$deb_dir"/*.deb; do dpkg -x "$a" "$work/x"; done

    bb="$work/x/bin/busybox"
    [[ -x "$bb" ]] || die "guest: busybox not found in busybox-static package"
    kver="$(find "$work/x/lib/modules" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | head -n 1)"
    [[ -f "$work/x/boot/vmlinuz-$kver" ]] || die "guest: no vmlinuz-$kver in $kpkg"

    # Userland: one static busybox plus a symlink per applet, made now rather
    # than with `busybox --install` at boot so the image is complete as built.
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/acpi/PWRF,lib/modules,proc,sys,dev,run,tmp,root,var/log}
    cp "$bb" "$root/bin/busybox"
    while read -r a; do
        [[ "$a" == bin/busybox || -e "$root/$a" ]] || ln -s /bin/busybox "$root/$a"
    done < <("$bb" --list-full)

    # Modules may be shipped xz-compressed in newer kernels; busybox insmod
    # cannot necessarily read those, so store them decompressed.
    for m in "${GUEST_MODULES[@]}"; do
        src="$work/x/lib/modules/$kver/kernel/$m.ko"
        a="$(basename "$m")"
        if [[ -f "$src" ]]; then
            cp "$src" "$root/lib/modules/$a.ko"
        elif [[ -f "$src.xz" ]]; then
            xz -dc "$src.xz" >"$root/lib/modules/$a.ko"
        elif [[ "$a" == button || "$a" == evdev ]]; then
            die "guest: $m.ko not found in $kpkg"
        else
            warn "guest: $m.ko not found in $kpkg; guest will lack that device"
            continue
        fi
        echo "$a" >>"$root/lib/modules/load-order"
    done

    write_guest_init "$root/init"
    write_guest_rcsysinit "$root/etc/rc.sysinit"
    write_guest_udhcpc_script "$root/etc/udhcpc.script"
    write_guest_inittab "$root/etc/inittab"
    write_guest_profile "$root/etc/profile"
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
    printf 'root:x:0:\n' >"$root/etc/group"
    # busybox acpid runs /etc/acpi/<action> for a mapped event; PWRF/00000080
    # is the power button press that an ACPI shutdown request generates.
    printf '#!/bin/sh\necho "ACPI power button pressed: powering off" >/dev/console\nexec /sbin/poweroff\n' \
        >"$root/etc/acpi/PWRF/00000080"
    chmod 755 "$root/init" "$root/etc/rc.sysinit" "$root/etc/udhcpc.script" \
        "$root/etc/acpi/PWRF/00000080"
    chmod 700 "$root/root"
    chmod 1777 "$root/tmp"

    # The cpio package is not needed: busybox has a newc writer. -R 0:0 makes
    # the guest files root-owned even if the builder is not root.
    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | "$bb" cpio -o -H newc -R 0:0 2>/dev/null) \
        | gzip -9 -n >"$work/initrd.img"

    # Install atomically-ish: files first, stamp last, so an interrupted build
    # is detected as "not built" next time.
    mkdir -p "$DEMO_DIR"
    rm -f "$STAMP"
    install -m 0644 "$work/x/boot/vmlinuz-$kver" "$KERNEL"
    install -m 0644 "$work/initrd.img" "$INITRD"
    printf '%s (%s) + busybox-static %s\n' "$kpkg" "$kver" \
        "$(dpkg-deb -f "$deb_dir"/busybox-static_*.deb Version)" >"$DEMO_DIR/guest-info.txt"
    recipe_hash >"$STAMP"

    rm -rf "$work"
    trap - EXIT
    log "guest: built $KERNEL ($kver) and $INITRD ($(du -h "$INITRD" | cut -f1))"
}
# --- END guest recipe ---

do_guest() {
    if guest_built; then
        log "guest: up to date in $DEMO_DIR"
        return 0
    fi
    if ! mkdir -p "$DEMO_DIR" 2>/dev/null || [[ ! -w "$DEMO_DIR" ]]; then
        die "guest: cannot write $DEMO_DIR (run as root or set DEMO_DIR)"
    fi
    # libvirt runs QEMU as libvirt-qemu; it must be able to traverse the path.
    chmod 755 "$DEMO_DIR"
    [[ -d "$(dirname "$DEMO_DIR")" ]] && chmod a+x "$(dirname "$DEMO_DIR")"
    build_guest
}

# ---------------------------------------------------------------------------
# define
# ---------------------------------------------------------------------------

# Domain XML for one demo VM. $2 = recipe hash stored in our metadata marker
# (empty while computing the hash itself), $3 = UUID to keep (may be empty).
domain_xml() {
    local name="$1" recipe="$2" uuid="$3" type="${DEMO_DOMAIN_TYPE:-qemu}"
    # The template's disk is a volume in the portal's pool (so that the portal can clone it); the
    # other demo VMs keep their plain files, and exactly the XML they always had.
    local disk_type=file disk_source="<source file='$DISK_DIR/$name.qcow2'/>"
    if [[ "$name" == "$TEMPLATE_VM" ]]; then
        disk_type=volume
        disk_source="<source pool='$POOL_NAME' volume='$name.qcow2'/>"
    fi
    cat <<EOF
<domain type='$type'>
  <name>$name</name>
${uuid:+  <uuid>$uuid</uuid>
}  <description>Demo VM for KVM Portal (defined by scripts/demo-host.sh; busybox guest, no real OS)</description>
  <metadata>
    <kp:demo xmlns:kp="$DEMO_NS" recipe="$recipe"/>
  </metadata>
  <memory unit='MiB'>256</memory>
  <currentMemory unit='MiB'>256</currentMemory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$KERNEL</kernel>
    <initrd>$INITRD</initrd>
    <!-- tty0 last: it becomes /dev/console, but both consoles get a shell -->
    <cmdline>console=ttyS0 console=tty0 hostname=$name panic=10</cmdline>
  </os>
  <!-- acpi is what lets 'virsh shutdown' press the (virtual) power button -->
  <features><acpi/><apic/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='$disk_type' device='disk'>
      <driver name='qemu' type='qcow2'/>
      $disk_source
      <target dev='vda' bus='virtio'/>
    </disk>
    <!-- User-mode (slirp) networking: needs no bridge, no dnsmasq and no
         libvirt network, so it works in containers. -->
    <interface type='user'>
      <model type='virtio'/>
    </interface>
    <serial type='pty'>
      <!-- virtlogd copies everything the guest writes to its serial port here, for tests to read -->
      <log file='/var/log/libvirt/qemu/$name-serial0.log' append='off'/>
      <target port='0'/>
    </serial>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>
    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <video>
      <model type='vga' vram='16384' heads='1' primary='yes'/>
    </video>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
}

# Prints the recipe attribute of our marker; fails if the domain has no marker.
domain_marker_recipe() {
    local md
    md="$(virsh -q -c "$URI" metadata "$1" "$DEMO_NS" 2>/dev/null)" || return 1
    [[ -n "$md" ]] || return 1
    sed -n 's/.*recipe="\([^"]*\)".*/\1/p' <<<"$md"
    return 0
}

define_one() {
    local name="$1" disk="$DISK_DIR/$1.qcow2" want have uuid xmlf state

    # The disk only makes the VM look real (the guest lives in RAM). Never
    # overwrite an existing one: it may be attached to a running domain.
    if [[ "$name" != "$TEMPLATE_VM" && ! -f "$disk" ]]; then
        qemu-img create -q -f qcow2 "$disk" 64M
        log "define: created $disk"
    fi

    want="$(domain_xml "$name" "" "" | sha256sum | cut -c1-16)"
    if virsh_ domuuid "$name" >/dev/null 2>&1; then
        if ! have="$(domain_marker_recipe "$name")"; then
            warn "define: domain '$name' exists but was not created by this script; leaving it alone"
            return 0
        fi
        if [[ "$have" == "$want" && "${DEMO_REDEFINE:-0}" != 1 ]]; then
            log "define: $name up to date"
            return 0
        fi
        # Keep the UUID so the portal (and anything else) still recognises the
        # VM. Redefining only changes the persistent config; a running domain
        # is not destroyed, it picks the new definition up on its next start.
        uuid="$(virsh_ domuuid "$name")"
        state="$(virsh_ domstate "$name" 2>/dev/null || true)"
        log "define: redefining $name (recipe ${have:-none} -> $want${state:+, currently $state})"
    else
        uuid=""
        log "define: defining $name"
    fi
    xmlf="$(mktemp)"
    domain_xml "$name" "$want" "$uuid" >"$xmlf"
    if ! virsh_ define "$xmlf" >/dev/null; then
        rm -f "$xmlf"
        die "define: virsh define failed for $name"
    fi
    rm -f "$xmlf"
}

do_define() {
    libvirt_answers || die "define: libvirtd not reachable on $URI; run '$0 daemons' first"
    guest_built || die "define: demo guest missing or outdated; run '$0 guest' first"
    mkdir -p "$DISK_DIR"
    chmod 755 "$DISK_DIR"
    local vm
    for vm in "${DEMO_VMS[@]}"; do define_one "$vm"; done
}

# ---------------------------------------------------------------------------
# template
# ---------------------------------------------------------------------------

pool_state() { virsh_ pool-info "$POOL_NAME" 2>/dev/null | awk '$1 == "State:" {print $2}'; }

ensure_pool() {
    mkdir -p "$POOL_DIR"
    chmod 755 "$POOL_DIR"
    chmod a+x "$(dirname "$POOL_DIR")"
    if [[ -z "$(pool_state)" ]]; then
        log "template: defining storage pool $POOL_NAME at $POOL_DIR"
        virsh_ pool-define-as "$POOL_NAME" dir --target "$POOL_DIR" >/dev/null
    fi
    if [[ "$(pool_state)" != running ]]; then
        log "template: starting storage pool $POOL_NAME"
        virsh_ pool-start "$POOL_NAME" >/dev/null
    fi
    virsh_ pool-autostart "$POOL_NAME" >/dev/null
    virsh_ pool-refresh "$POOL_NAME" >/dev/null
}

do_template() {
    libvirt_answers || die "template: libvirtd not reachable on $URI; run '$0 daemons' first"
    guest_built || die "template: demo guest missing or outdated; run '$0 guest' first"
    ensure_pool
    # Like the demo disks, only there to look real (the guest lives in RAM); never overwritten, as
    # linked clones made by the portal use it as their backing file.
    if ! virsh_ vol-info "$TEMPLATE_VM.qcow2" --pool "$POOL_NAME" >/dev/null 2>&1; then
        virsh_ vol-create-as "$POOL_NAME" "$TEMPLATE_VM.qcow2" 64M --format qcow2 >/dev/null
        log "template: created volume $POOL_NAME/$TEMPLATE_VM.qcow2"
    fi
    define_one "$TEMPLATE_VM"
}

# ---------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------

# Runs a check command silently and prints yes/no.
yes_no() { if "$@" >/dev/null 2>&1; then echo yes; else echo no; fi; }

do_status() {
    echo "virtlogd running:  $(yes_no pgrep -x virtlogd)"
    echo "libvirtd running:  $(yes_no pgrep -x libvirtd)"
    echo "libvirt answers:   $(yes_no libvirt_answers)"
    echo "/dev/kvm:          $(if [[ -c /dev/kvm ]]; then stat -c '%U:%G %a' /dev/kvm; else echo 'absent (TCG only)'; fi)"
    echo "guest built:       $(yes_no guest_built) ($DEMO_DIR)"
    echo "portal pool:       $POOL_NAME ($(pool_state || true))"
    [[ -f "$DEMO_DIR/guest-info.txt" ]] && echo "guest from:        $(cat "$DEMO_DIR/guest-info.txt")"
    if libvirt_answers; then
        virsh -c "$URI" list --all
    fi
}

# ---------------------------------------------------------------------------

main() {
    local -a steps=("$@")
    ((${#steps[@]})) || steps=(install daemons guest define template)
    local s
    for s in "${steps[@]}"; do
        case "$s" in
            install | daemons | guest | define | template | status) ;;
            -h | --help | help) sed -n '2,/^$/p' "$SELF"; exit 0 ;;
            *) die "unknown step '$s' (try --help)" ;;
        esac
    done
    for s in "${steps[@]}"; do "do_$s"; done
}

main "$@"
