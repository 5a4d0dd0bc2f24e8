package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.kvmportal.hypervisor.SnapshotSupport;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Decides from a domain's XML and its host's libvirt version which snapshots it can take, so that the UI can say
 * so before anyone tries. It is advice: the host's own refusal is still translated when it comes
 * ({@link SnapshotErrors}).
 */
final class SnapshotSupportReader {

    /** libvirt reverts to external snapshots since 9.9.0 (and deletes them since 9.0.0). */
    static final long EXTERNAL_REVERT_SINCE = 9_009_000;
    /** libvirt takes internal snapshots of domains with UEFI (pflash) firmware since 10.10.0. */
    static final long INTERNAL_WITH_PFLASH_SINCE = 10_010_000;

    private static final Set<String> OVERLAY_CAPABLE = Set.of("file", "block");

    private SnapshotSupportReader() {}

    /** @param libvirtVersion as libvirt reports it: major * 1,000,000 + minor * 1,000 + release */
    static SnapshotSupport read(Document xml, long libvirtVersion) {
        var root = xml.getDocumentElement();
        String version = version(libvirtVersion);
        boolean externalRevert = libvirtVersion >= EXTERNAL_REVERT_SINCE;
        if (root.getAttribute("type").equals("test")) {
            // libvirt's test driver keeps snapshots in memory, whatever its disks, and has no overlay files.
            return new SnapshotSupport(true, "", false, false, version);
        }
        var disks = writableDisks(root);
        if (disks.isEmpty()) {
            return new SnapshotSupport(
                    false, "it has no writable disk to keep a snapshot in", false, externalRevert, version);
        }
        boolean overlays = disks.stream().anyMatch(disk -> OVERLAY_CAPABLE.contains(disk.getAttribute("type")));
        var notQcow2 = new ArrayList<String>();
        for (var disk : disks) {
            var driver = XmlElements.child(disk, "driver");
            if (driver == null || !driver.getAttribute("type").equals("qcow2")) {
                notQcow2.add(describe(disk, driver));
            }
        }
        if (!notQcow2.isEmpty()) {
            String why = (notQcow2.size() == 1 ? "its disk " : "its disks ") + String.join(", ", notQcow2)
                    + ", and only qcow2 disks can keep snapshots inside them";
            return new SnapshotSupport(false, why, overlays, externalRevert, version);
        }
        if (usesPflash(root) && libvirtVersion < INTERNAL_WITH_PFLASH_SINCE) {
            return new SnapshotSupport(
                    false,
                    "it starts with UEFI firmware, whose settings this host's libvirt (" + version
                            + ") cannot put into a full snapshot (libvirt 10.10 and newer can)",
                    overlays,
                    externalRevert,
                    version);
        }
        return new SnapshotSupport(true, "", overlays, externalRevert, version);
    }

    /** "vda is a raw image", "vdb has no format set" */
    private static String describe(Element disk, Element driver) {
        var target = XmlElements.child(disk, "target");
        String name = target == null ? "?" : target.getAttribute("dev");
        String format = driver == null ? "" : driver.getAttribute("type");
        return format.isEmpty() ? name + " has no format set" : name + " is a " + format + " image";
    }

    /** Disks the guest writes to: those a snapshot must capture (CD-ROMs and read-only disks are left out). */
    private static List<Element> writableDisks(Element root) {
        var devices = XmlElements.child(root, "devices");
        var result = new ArrayList<Element>();
        if (devices == null) {
            return result;
        }
        for (var disk : XmlElements.children(devices, "disk")) {
            String device = disk.getAttribute("device");
            boolean isDisk = device.isEmpty() || device.equals("disk");
            if (isDisk && XmlElements.child(disk, "readonly") == null && XmlElements.child(disk, "source") != null) {
                result.add(disk);
            }
        }
        return result;
    }

    private static boolean usesPflash(Element root) {
        var os = XmlElements.child(root, "os");
        if (os == null) {
            return false;
        }
        var loader = XmlElements.child(os, "loader");
        return os.getAttribute("firmware").equals("efi")
                || (loader != null && loader.getAttribute("type").equals("pflash"));
    }

    static String version(long libvirtVersion) {
        return libvirtVersion / 1_000_000 + "." + libvirtVersion / 1_000 % 1_000 + "." + libvirtVersion % 1_000;
    }
}
