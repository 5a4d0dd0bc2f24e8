package org.kvmportal.testing;

import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A domain of a test's own on {@code qemu:///system}, never one of the demo VMs: the demo guest's kernel and
 * initramfs (scripts/demo-host.sh) by direct kernel boot, under TCG, with a disk of its own made by
 * {@code qemu-img} in a temporary folder. {@link #close()} removes the domain, its snapshots' metadata and the
 * folder, whatever state the test left them in.
 */
public final class ThrowawayDomain implements AutoCloseable {

    private static final Path GUEST = Path.of("/var/lib/kvm-portal/demo");

    private final String name;
    private final Path dir;
    private final Path disk;

    private ThrowawayDomain(String name, Path dir, Path disk) {
        this.name = name;
        this.dir = dir;
        this.disk = disk;
    }

    /**
     * Defines a shut-off domain named {@code prefix-<random>}.
     *
     * @param diskFormat {@code qcow2} or {@code raw}
     */
    public static ThrowawayDomain define(String prefix, String diskFormat) {
        String name = prefix + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path dir;
        try {
            dir = Files.createTempDirectory(name + "-");
            // QEMU runs as libvirt-qemu: it must reach the disk (libvirt gives it the file, not the folder).
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var domain = new ThrowawayDomain(name, dir, dir.resolve("disk." + diskFormat));
        try {
            Virsh.run(List.of("qemu-img", "create", "-q", "-f", diskFormat, domain.disk.toString(), "16M"));
            Path xml = dir.resolve("domain.xml");
            write(domain.xml(diskFormat), xml);
            virsh("define", xml.toString());
            return domain;
        } catch (RuntimeException | AssertionError e) {
            domain.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public UUID uuid() {
        return UUID.fromString(virsh("domuuid", name).strip());
    }

    @Override
    public void close() {
        virshQuietly("destroy", name);
        virshQuietly("undefine", name, "--snapshots-metadata");
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not remove " + dir + ": " + e.getMessage());
        }
    }

    private Document xml(String diskFormat) {
        Document document;
        try {
            document = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        var domain = document.createElement("domain");
        domain.setAttribute("type", "qemu");
        document.appendChild(domain);
        text(domain, "name", name);
        text(domain, "description", "Throwaway test domain of KVM Portal's tests; safe to delete");
        text(domain, "memory", "262144");
        text(domain, "vcpu", "1");
        var os = element(domain, "os");
        var type = text(os, "type", "hvm");
        type.setAttribute("arch", "x86_64");
        type.setAttribute("machine", "pc");
        text(os, "kernel", GUEST.resolve("vmlinuz").toString());
        text(os, "initrd", GUEST.resolve("initrd.img").toString());
        text(os, "cmdline", "console=ttyS0 hostname=" + name + " panic=10");
        element(element(domain, "features"), "acpi");
        text(domain, "on_poweroff", "destroy");
        var devices = element(domain, "devices");
        var diskElement = element(devices, "disk");
        diskElement.setAttribute("type", "file");
        diskElement.setAttribute("device", "disk");
        var driver = element(diskElement, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", diskFormat);
        element(diskElement, "source").setAttribute("file", disk.toString());
        var target = element(diskElement, "target");
        target.setAttribute("dev", "vda");
        target.setAttribute("bus", "virtio");
        element(devices, "memballoon").setAttribute("model", "none");
        return document;
    }

    private static Element element(Element parent, String name) {
        var child = parent.getOwnerDocument().createElement(name);
        parent.appendChild(child);
        return child;
    }

    private static Element text(Element parent, String name, String text) {
        var child = element(parent, name);
        child.setTextContent(text);
        return child;
    }

    private static void write(Document document, Path file) {
        try {
            TransformerFactory.newInstance()
                    .newTransformer()
                    .transform(new DOMSource(document), new StreamResult(file.toFile()));
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }
}
