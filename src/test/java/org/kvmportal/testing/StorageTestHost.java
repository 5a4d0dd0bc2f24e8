package org.kvmportal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A simulated host named "sim" from {@code storage/host.xml}: a pool whose volumes are used in each way the
 * volume guard knows (a running VM's disk, a CD-ROM's medium, shut-off VMs' disks) and a NAT network. Copied
 * into the test's own directory: libvirt's test driver refuses a second open of one file.
 */
public final class StorageTestHost {

    public static final String POOL = "kp-pool";

    private StorageTestHost() {}

    public static void register(DynamicPropertyRegistry registry, Path dir) {
        Path file = dir.resolve("storage-host.xml");
        try (var in = Objects.requireNonNull(StorageTestHost.class.getResourceAsStream("/storage/host.xml"))) {
            Files.createDirectories(dir);
            Files.copy(in, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("kvmportal.hosts[0].name", () -> "sim");
        registry.add("kvmportal.hosts[0].uri", () -> "test://" + file.toAbsolutePath());
        registry.add("kvmportal.data-dir", () -> dir.resolve("data").toString());
    }
}
