package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.HypervisorException;

/** Secrets are found in the parsed XML, however the text spells them, and come back from the editor intact. */
class DomainSecretsTest {

    private static final String DOMAIN = """
            <domain type='kvm'>
              <name>lab</name>
              <uuid>6b8d5d1c-2f7e-4c6b-9d41-1f3a6a2b7c10</uuid>
              <devices>
                <disk type='network' device='cdrom'>
                  <source protocol='https' name='/images/install.iso'>
                    <host name='images.example.org' port='443'/>
                    <cookies>
                      <cookie name='session'>cookie-value-1</cookie>
                    </cookies>
                  </source>
                  <backingStore type='network'>
                    <source protocol='http' name='/base.iso'>
                      <host name='images.example.org'/>
                      <cookies><cookie name='session'>cookie-value-2</cookie></cookies>
                    </source>
                  </backingStore>
                  <target dev='sdb' bus='sata'/>
                </disk>
                <graphics type = "vnc" port='-1' passwd = "vnc-pass-1"/>
                <graphics type='spice' autoport='yes' passwd="spice&apos;pass&amp;2"/>
                <graphics type='rdp' autoport='yes'
                          passwd='rdp-pass
            three'/>
              </devices>
            </domain>
            """;

    @Test
    void every_secret_is_masked_however_its_attribute_is_written() {
        var document = DomainXml.parse(DOMAIN);

        assertThat(DomainSecrets.mask(document)).isEqualTo(5);

        String shown = DomainXml.serialize(document, true);
        assertThat(shown)
                .doesNotContain("vnc-pass", "spice'pass", "pass&", "rdp-pass", "three", "cookie-value")
                .contains("<cookie name=\"session\">********</cookie>", "passwd=\"********\"");
        assertThat(shown.split("passwd=\"\\*{8}\"", -1)).hasSize(4);
    }

    @Test
    void references_to_libvirt_secrets_stay_visible() {
        var document = DomainXml.parse("""
                <domain><name>lab</name><devices>
                  <disk type='network'><source protocol='rbd' name='pool/image'/>
                    <auth username='libvirt'><secret type='ceph' uuid='2ec115d7-3a88-3ceb-bc12-0ac909a6fd87'/></auth>
                    <target dev='vdb'/></disk>
                </devices></domain>
                """);

        assertThat(DomainSecrets.mask(document)).isZero();
        assertThat(DomainXml.serialize(document, false)).contains("2ec115d7-3a88-3ceb-bc12-0ac909a6fd87");
    }

    @Test
    void masked_secrets_come_back_from_the_same_device_even_when_devices_moved() {
        var current = DomainXml.parse(DOMAIN);
        var masked = DomainXml.parse(DOMAIN);
        DomainSecrets.mask(masked);
        var devices =
                (org.w3c.dom.Element) masked.getElementsByTagName("devices").item(0);
        var graphics = masked.getElementsByTagName("graphics");
        var vnc = graphics.item(0);
        var spice = graphics.item(1);
        var rdp = graphics.item(2);
        // SPICE moved in front of VNC, RDP dropped, a second VNC display added with a password of its own
        devices.insertBefore(spice, vnc);
        devices.removeChild(rdp);
        var second = masked.createElement("graphics");
        second.setAttribute("type", "vnc");
        second.setAttribute("passwd", "typed-new");
        devices.appendChild(second);
        String edited = DomainXml.serialize(masked, false);

        var document = DomainXml.parse(edited);
        DomainSecrets.restore(document, current);

        String written = DomainXml.serialize(document, false);
        assertThat(written)
                .contains("passwd=\"typed-new\"", "passwd=\"vnc-pass-1\"", "passwd=\"spice'pass&amp;2\"")
                .contains(">cookie-value-1<", ">cookie-value-2<")
                .doesNotContain(DomainSecrets.MASK);
    }

    @Test
    void a_masked_secret_without_a_current_one_is_refused() {
        var current = DomainXml.parse(DOMAIN);
        var edited = DomainXml.parse(DOMAIN.replace("type='spice'", "type='vnc' port='5901'"));
        DomainSecrets.mask(edited);

        assertThatThrownBy(() -> DomainSecrets.restore(edited, current))
                .isInstanceOf(HypervisorException.class)
                .hasMessageNotContaining("vnc-pass-1");
    }

    @Test
    void a_failure_quoting_a_secret_is_reworded_without_it() {
        var document = DomainXml.parse(DOMAIN);
        var failure = new HypervisorException(
                "Could not save the definition: unsupported cookie value 'cookie-value-2'.",
                new IllegalStateException("libvirt: cookie-value-2"));

        var cleaned = DomainSecrets.withoutSecrets(failure, document);

        assertThat(cleaned.getMessage()).doesNotContain("cookie-value-2").contains(DomainSecrets.MASK);
        assertThat(cleaned.getCause()).isNull();
        var unrelated = new HypervisorException("Could not save the definition: no such pool.");
        assertThat(DomainSecrets.withoutSecrets(unrelated, document)).isSameAs(unrelated);
    }

    @Test
    void a_doctype_is_refused_so_no_entity_can_hide_a_secret_or_expand() {
        String withEntity = "<!DOCTYPE d [<!ENTITY p 'hidden-pass'>]><domain><devices>"
                + "<graphics type='vnc' passwd='&p;'/></devices></domain>";
        assertThatThrownBy(() -> DomainXml.parse(withEntity)).isInstanceOf(HypervisorException.class);
    }
}
