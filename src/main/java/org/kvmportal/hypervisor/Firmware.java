package org.kvmportal.hypervisor;

/** What a new domain boots with. */
public enum Firmware {
    BIOS("BIOS"),
    /** OVMF, chosen by libvirt's firmware autoselection; only where the host has it installed. */
    UEFI("UEFI");

    private final String label;

    Firmware(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
