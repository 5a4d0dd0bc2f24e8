package org.kvmportal.hypervisor;

/**
 * The guest operating system a new domain is made for: it chooses virtio or emulated devices and the clock,
 * and is recorded in the domain's libosinfo metadata (as virt-install and virt-manager do).
 */
public enum OsVariant {
    GENERIC("Generic / other (emulated devices)", null, false, false),
    LINUX("Linux (2022 or newer)", "http://libosinfo.org/linux/2022", true, false),
    DEBIAN_12("Debian 12", "http://debian.org/debian/12", true, false),
    UBUNTU_24_04("Ubuntu 24.04", "http://ubuntu.com/ubuntu/24.04", true, false),
    FEDORA_41("Fedora 41", "http://fedoraproject.org/fedora/41", true, false),
    RHEL_9("Red Hat Enterprise Linux 9 and clones", "http://redhat.com/rhel/9.0", true, false),
    WINDOWS_10("Windows 10", "http://microsoft.com/win/10", false, true),
    WINDOWS_11("Windows 11 (needs UEFI)", "http://microsoft.com/win/11", false, true);

    private final String label;
    private final String libosinfoId;
    private final boolean virtio;
    private final boolean windows;

    OsVariant(String label, String libosinfoId, boolean virtio, boolean windows) {
        this.label = label;
        this.libosinfoId = libosinfoId;
        this.virtio = virtio;
        this.windows = windows;
    }

    public String label() {
        return label;
    }

    /** The libosinfo id written into the domain's metadata; null for none. */
    public String libosinfoId() {
        return libosinfoId;
    }

    /** Paravirtual disk and NIC (the guest has the drivers) rather than emulated SATA and e1000e. */
    public boolean virtio() {
        return virtio;
    }

    /** Windows keeps its clock in local time. */
    public boolean windows() {
        return windows;
    }
}
