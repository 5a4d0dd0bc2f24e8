package org.kvmportal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.VirtualNetwork;
import org.kvmportal.testing.SimulatedHost;
import org.kvmportal.testing.StorageTestHost;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Virtual networks on a simulated host (libvirt's test driver) with one NAT network, lab-net. */
@SpringBootTest
@WithMockUser(username = "network-admin", roles = "ADMIN")
class NetworkServiceTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        StorageTestHost.register(registry, dir);
    }

    @Autowired
    NetworkService networks;

    @Autowired
    Hypervisor hypervisor;

    @BeforeEach
    void connected() throws InterruptedException {
        SimulatedHost.awaitListed(hypervisor, 3);
    }

    @Test
    void networks_are_listed_with_bridge_address_and_dhcp_range() {
        assertThat(network("lab-net")).satisfies(lab -> {
            assertThat(lab.forwardMode()).isEqualTo("nat");
            assertThat(lab.bridge()).isEqualTo("virbr7");
            assertThat(lab.address()).isEqualTo("192.168.77.1/24");
            assertThat(lab.dhcpStart()).isEqualTo("192.168.77.10");
            assertThat(lab.dhcpEnd()).isEqualTo("192.168.77.99");
        });
    }

    @Test
    void a_network_is_stopped_started_and_set_to_autostart() {
        networks.stop("sim", "lab-net").join();
        assertThat(network("lab-net").active()).isFalse();
        networks.start("sim", "lab-net").join();
        assertThat(network("lab-net").active()).isTrue();

        networks.setAutostart("sim", "lab-net", true).join();
        assertThat(network("lab-net").autostart()).isTrue();
        networks.setAutostart("sim", "lab-net", false).join();
        assertThat(network("lab-net").autostart()).isFalse();
    }

    @Test
    void a_nat_network_is_defined_inactive() {
        var defined = networks.defineNat("sim", "kp-lab-2", "192.168.88.1/24", "192.168.88.100", "192.168.88.200")
                .join();

        assertThat(defined.active()).isFalse();
        assertThat(defined.persistent()).isTrue();
        assertThat(network("kp-lab-2")).satisfies(lab -> {
            assertThat(lab.forwardMode()).isEqualTo("nat");
            assertThat(lab.address()).isEqualTo("192.168.88.1/24");
            assertThat(lab.dhcpStart()).isEqualTo("192.168.88.100");
            assertThat(lab.dhcpEnd()).isEqualTo("192.168.88.200");
        });
    }

    @Test
    void bad_input_is_refused_field_by_field_and_nothing_is_defined() {
        var before = names();

        assertRefused("name", "", "192.168.90.1/24", "192.168.90.10", "192.168.90.20");
        assertRefused("name", "has space", "192.168.90.1/24", "192.168.90.10", "192.168.90.20");
        assertRefused("name", "LAB-NET", "192.168.90.1/24", "192.168.90.10", "192.168.90.20");
        assertRefused("address", "n1", "192.168.90.1", "192.168.90.10", "192.168.90.20");
        assertRefused("address", "n1", "192.168.90.300/24", "192.168.90.10", "192.168.90.20");
        assertRefused("address", "n1", "8.8.8.1/24", "8.8.8.10", "8.8.8.20");
        assertRefused("address", "n1", "192.168.90.0/24", "192.168.90.10", "192.168.90.20");
        assertRefused("address", "n1", "192.168.77.129/25", "192.168.77.130", "192.168.77.140");
        assertRefused("address", "n1", "192.168.0.1/16", "192.168.0.10", "192.168.0.20");
        assertRefused("dhcpStart", "n1", "192.168.90.1/24", "192.168.91.10", "192.168.90.20");
        assertRefused("dhcpStart", "n1", "192.168.90.1/24", "x", "192.168.90.20");
        assertRefused("dhcpEnd", "n1", "192.168.90.1/24", "192.168.90.10", "192.168.90.255");
        assertRefused("dhcpEnd", "n1", "192.168.90.1/24", "192.168.90.50", "192.168.90.20");
        assertRefused("dhcpStart", "n1", "192.168.90.100/24", "192.168.90.10", "192.168.90.200");
        assertRefused("host", "n1", "192.168.90.1/24", "192.168.90.10", "192.168.90.20", "elsewhere");

        assertThat(names()).isEqualTo(before);
    }

    @Test
    @WithMockUser(username = "network-user", roles = "USER")
    void only_admins_see_or_change_networks() {
        assertThatThrownBy(() -> networks.networks("sim")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> networks.stop("sim", "lab-net")).isInstanceOf(AccessDeniedException.class);
    }

    private void assertRefused(String field, String name, String address, String start, String end) {
        assertRefused(field, name, address, start, end, "sim");
    }

    private void assertRefused(String field, String name, String address, String start, String end, String host) {
        assertThatThrownBy(() ->
                        networks.defineNat(host, name, address, start, end).join())
                .as("%s %s %s-%s", name, address, start, end)
                .cause()
                .isInstanceOfSatisfying(
                        NetworkInputException.class,
                        e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }

    private VirtualNetwork network(String name) {
        return networks.networks("sim").join().stream()
                .filter(network -> network.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private List<String> names() {
        return networks.networks("sim").join().stream()
                .map(VirtualNetwork::name)
                .toList();
    }
}
