package org.kvmportal.hypervisor.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Whether the host can boot a new domain with UEFI: its domain capabilities list an OVMF loader (or the
 * {@code efi} firmware for autoselection) for the guest kind new domains get.
 */
final class FirmwareSupport {

    /** {@code virConnectGetDomainCapabilities}, which libvirt-java 0.5.4 lacks. */
    interface NativeCalls extends Library {
        NativeCalls INSTANCE = Native.load("virt", NativeCalls.class);

        /** The capabilities XML, which the caller frees (C {@code free}); null on error. */
        Pointer virConnectGetDomainCapabilities(
                Pointer conn, String emulatorbin, String arch, String machine, String virttype, int flags);
    }

    private FirmwareSupport() {}

    /** Why UEFI cannot be offered on this host, or null when it can. */
    static String uefiUnavailable(PortalConnect connect, HostGuest guest) {
        Pointer xml = NativeCalls.INSTANCE.virConnectGetDomainCapabilities(
                connect.nativePointer(), null, guest.arch(), guest.machine(), guest.domainType(), 0);
        if (xml == null) {
            var error = LibvirtErrors.lastError();
            return "UEFI is not offered: the host cannot tell which firmware it has (" + LibvirtErrors.detail(error)
                    + ").";
        }
        String text;
        try {
            text = xml.getString(0, "UTF-8");
        } finally {
            Native.free(Pointer.nativeValue(xml));
        }
        return hasUefi(text) ? null : "UEFI is not offered: no UEFI firmware (OVMF) is installed on the host.";
    }

    /** An OVMF loader among the loader values, or {@code efi} among the firmware values. */
    static boolean hasUefi(String domainCapabilities) {
        var root = DomainXml.parse(domainCapabilities).getDocumentElement();
        var os = XmlElements.child(root, "os");
        if (os == null || "no".equals(os.getAttribute("supported"))) {
            return false;
        }
        for (var firmwareEnum : XmlElements.children(os, "enum")) {
            if (firmwareEnum.getAttribute("name").equals("firmware")
                    && XmlElements.children(firmwareEnum, "value").stream()
                            .anyMatch(value -> value.getTextContent().strip().equals("efi"))) {
                return true;
            }
        }
        var loader = XmlElements.child(os, "loader");
        return loader != null
                && !"no".equals(loader.getAttribute("supported"))
                && XmlElements.children(loader, "value").stream()
                        .anyMatch(value -> value.getTextContent().contains("OVMF")
                                || value.getTextContent().contains("edk2"));
    }
}
