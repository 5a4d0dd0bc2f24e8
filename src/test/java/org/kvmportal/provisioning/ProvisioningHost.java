package org.kvmportal.provisioning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A simulated host (libvirt's test driver) for provisioning tests: a shut-off VM {@code tmpl} whose qcow2 disk
 * is a volume in pool {@code images}, an installer ISO and a spare disk image in that pool, and a network.
 */
final class ProvisioningHost {

    static final String HOST = "sim";
    static final String TEMPLATE_UUID = "11111111-2222-3333-4444-555555555555";
    static final String OTHER_UUID = "11111111-2222-3333-4444-666666666666";

    private ProvisioningHost() {}

    static void register(DynamicPropertyRegistry registry, Path dir) {
        var file = dir.resolve("host.xml");
        try {
            Files.writeString(file, HOST_XML);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("kvmportal.hosts[0].name", () -> HOST);
        registry.add("kvmportal.hosts[0].uri", () -> "test://" + file.toAbsolutePath());
        registry.add("kvmportal.data-dir", () -> dir.resolve("data").toString());
    }

    static void awaitConnected(Hypervisor hypervisor) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED
                || hypervisor.domains().size() < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("simulated host not connected");
            }
            Thread.sleep(20);
        }
    }

    private static final String HOST_XML = """
            <node>
              <domain type='test'>
                <name>tmpl</name>
                <uuid>%s</uuid>
                <description>The template</description>
                <memory>262144</memory>
                <vcpu>1</vcpu>
                <os><type>hvm</type></os>
                <devices>
                  <disk type='volume' device='disk'>
                    <driver name='qemu' type='qcow2'/>
                    <source pool='images' volume='tmpl.qcow2'/>
                    <target dev='vda' bus='virtio'/>
                  </disk>
                  <interface type='user'><mac address='52:54:00:00:00:01'/></interface>
                  <serial type='pty'><log file='/var/log/tmpl-serial0.log'/><target port='0'/></serial>
                </devices>
                <test:runstate xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>5</test:runstate>
              </domain>
              <domain type='test'>
                <name>other</name>
                <uuid>%s</uuid>
                <memory>131072</memory>
                <vcpu>1</vcpu>
                <os><type>hvm</type></os>
                <devices>
                  <disk type='file' device='disk'>
                    <driver name='qemu' type='raw'/>
                    <source file='/images/other.img'/>
                    <target dev='vda' bus='virtio'/>
                  </disk>
                </devices>
                <test:runstate xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>5</test:runstate>
              </domain>
              <network><name>lab</name><bridge name='virbr9'/><forward/>
                <ip address='192.168.99.1' netmask='255.255.255.0'/></network>
              <pool type='dir'>
                <name>images</name>
                <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid>
                <capacity>107374182400</capacity><allocation>0</allocation><available>107374182400</available>
                <target><path>/images</path></target>
                <volume type='file'><name>tmpl.qcow2</name><capacity>67108864</capacity>
                  <target><format type='qcow2'/></target></volume>
                <volume type='file'><name>other.img</name><capacity>1048576</capacity>
                  <target><format type='raw'/></target></volume>
                <volume type='file'><name>installer.iso</name><capacity>1048576</capacity>
                  <target><format type='raw'/></target></volume>
                <volume type='file'><name>spare.img</name><capacity>1048576</capacity>
                  <target><format type='raw'/></target></volume>
              </pool>
            </node>
            """.formatted(TEMPLATE_UUID, OTHER_UUID);
}
