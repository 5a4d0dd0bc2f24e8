package org.kvmportal.testing;

import static org.kvmportal.testing.Virsh.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The two libvirt daemons of the migration tests: the machine's own ({@code qemu:///system}) and the second
 * one of {@code scripts/second-host.sh} (its own mount namespace, loopback TCP), plus throwaway guests that
 * both can run: a direct-kernel busybox guest like the demo VMs, named {@code kp-mig-<random>}, with its own
 * qcow2 disk in a temporary directory that both daemons see (shared storage, one machine).
 */
public final class MigrationHosts {

    public static final String SECOND = "qemu+tcp://127.0.0.1:16510/system";
    private static final String DEMO_DIR = "/var/lib/kvm-portal/demo";

    private MigrationHosts() {}

    /** Starts the second daemon unless it runs already (a few seconds the first time). */
    public static void startSecondHost() {
        run(List.of("scripts/second-host.sh", "start"));
    }

    public static String virsh(String uri, String... args) {
        var command = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The domain's state on that daemon ("running", "shut off"), or "absent" when it does not know it. */
    public static String state(String uri, String name) {
        try {
            return virsh(uri, "domstate", name);
        } catch (AssertionError e) {
            if (e.getMessage().contains("failed to get domain")) {
                return "absent";
            }
            throw e;
        }
    }

    /** A throwaway guest: defined (not started) on {@code uri}; {@link Guest#close} removes it from both daemons. */
    public static Guest define(String uri) {
        String name = "kp-mig-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try {
            var dir = Files.createTempDirectory(name);
            // The QEMU processes of both daemons run as libvirt-qemu: they must reach and open the disk.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            var disk = dir.resolve("disk.qcow2");
            run(List.of("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M"));
            Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rw-rw-rw-"));
            var xml = dir.resolve("domain.xml");
            Files.writeString(xml, domainXml(name, disk));
            virsh(uri, "define", xml.toString());
            return new Guest(name, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Test data with fixed, safe values: the name is ours, the paths are the demo's and a temp dir. */
    private static String domainXml(String name, Path disk) {
        return """
                <domain type='qemu'>
                  <name>%s</name>
                  <description>Throwaway guest of the KVM Portal migration tests</description>
                  <memory unit='MiB'>128</memory>
                  <vcpu>1</vcpu>
                  <os>
                    <type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%s/vmlinuz</kernel>
                    <initrd>%s/initrd.img</initrd>
                    <cmdline>console=ttyS0 hostname=kp-mig panic=10</cmdline>
                  </os>
                  <features><acpi/><apic/></features>
                  <on_poweroff>destroy</on_poweroff>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                    <serial type='pty'><target port='0'/></serial>
                    <console type='pty'><target type='serial' port='0'/></console>
                    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(name, DEMO_DIR, DEMO_DIR, disk);
    }

    /** A throwaway guest; closing it destroys and undefines it wherever it is, and deletes its disk. */
    public record Guest(String name, Path dir) implements AutoCloseable {

        /** Also while a daemon restarts (other tests restart the main one): tries for up to 30 s. */
        @Override
        public void close() {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            for (String uri : List.of(Virsh.SYSTEM, SECOND)) {
                while (!removedFrom(uri) && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            try (var files = Files.list(dir)) {
                for (var file : files.toList()) {
                    Files.delete(file);
                }
                Files.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private boolean removedFrom(String uri) {
            quietly(uri, "destroy", name);
            quietly(uri, "undefine", name);
            try {
                return state(uri, name).equals("absent");
            } catch (AssertionError unreachable) {
                return false;
            }
        }

        private static void quietly(String uri, String... args) {
            try {
                virsh(uri, args);
            } catch (AssertionError ignored) {
                // not there: nothing to clean up
            }
        }
    }
}
