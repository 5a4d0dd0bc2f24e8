package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.VncEndpoint;

class VncLocatorTest {

    private static final String LOCAL = "qemu:///system";
    private static final String REMOTE = "qemu+ssh://root@lab-1.example.org/system";

    @Test
    void a_local_display_is_reached_where_it_listens() {
        assertThat(locate(
                        "<graphics type='vnc' port='5901' listen='127.0.0.1'>"
                                + "<listen type='address' address='127.0.0.1'/></graphics>",
                        LOCAL))
                .isEqualTo(new VncEndpoint.Tcp("127.0.0.1", 5901));
        assertThat(locate("<graphics type='vnc' port='5902' listen='0.0.0.0'/>", LOCAL))
                .isEqualTo(new VncEndpoint.Tcp("127.0.0.1", 5902));
    }

    @Test
    void a_display_on_a_unix_socket_is_reached_through_it() {
        assertThat(locate(
                        "<graphics type='vnc'><listen type='socket' socket='/run/libvirt/qemu/vnc.sock'/></graphics>",
                        LOCAL))
                .isEqualTo(new VncEndpoint.UnixSocket(Path.of("/run/libvirt/qemu/vnc.sock")));
    }

    @Test
    void a_remote_display_listening_everywhere_is_reached_through_the_hosts_name() {
        assertThat(locate("<graphics type='vnc' port='5900' listen='0.0.0.0'/>", REMOTE))
                .isEqualTo(new VncEndpoint.Tcp("lab-1.example.org", 5900));
    }

    @Test
    void a_remote_display_on_loopback_or_a_socket_is_refused_with_a_reason() {
        assertThatThrownBy(() -> locate("<graphics type='vnc' port='5900' listen='127.0.0.1'/>", REMOTE))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("loopback address of lab-1.example.org");
        assertThatThrownBy(() -> locate(
                        "<graphics type='vnc'><listen type='socket' socket='/run/vnc.sock'/></graphics>", REMOTE))
                .hasMessageContaining("UNIX socket");
    }

    @Test
    void no_vnc_display_or_no_port_yet_is_said_plainly() {
        assertThatThrownBy(() -> locate("<graphics type='spice' port='5900'/>", LOCAL))
                .hasMessage("This virtual machine has no VNC display.");
        assertThatThrownBy(() -> locate("<graphics type='vnc' port='-1' autoport='yes'/>", LOCAL))
                .hasMessageContaining("not listening");
    }

    private static VncEndpoint locate(String graphics, String uri) {
        return VncLocator.locate(
                DomainXml.parse("<domain type='kvm'><name>vm</name><devices>" + graphics + "</devices></domain>"), uri);
    }
}
