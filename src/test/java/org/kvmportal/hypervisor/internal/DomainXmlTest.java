package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.HypervisorException;

class DomainXmlTest {

    private static final String DOMAIN = """
            <domain type='kvm'>
              <name>lab</name>
              <uuid>6b8d5d1c-2f7e-4c6b-9d41-1f3a6a2b7c10</uuid>
              <description>old</description>
              <devices>
                <graphics type='vnc' port='-1' autoport='yes' passwd='s3cret' listen='127.0.0.1'/>
              </devices>
            </domain>
            """;

    @Test
    void a_new_description_replaces_the_old_and_keeps_the_password() {
        var document = DomainXml.parse(DOMAIN);

        DomainXml.setDescription(document, "a <b> & \"c\"\nline two");
        var written = DomainXml.serialize(document, false);

        var reread = DomainXml.parse(written);
        assertThat(reread.getElementsByTagName("description").item(0).getTextContent())
                .isEqualTo("a <b> & \"c\"\nline two");
        assertThat(reread.getElementsByTagName("description").getLength()).isEqualTo(1);
        assertThat(written).contains("passwd=\"s3cret\"");
    }

    @Test
    void an_empty_description_removes_the_element() {
        var document = DomainXml.parse(DOMAIN);
        DomainXml.setDescription(document, "");
        assertThat(document.getElementsByTagName("description").getLength()).isZero();
    }

    @Test
    void secrets_are_masked_for_display() {
        var document = DomainXml.parse(DOMAIN);
        DomainSecrets.mask(document);
        assertThat(DomainXml.serialize(document, true))
                .contains("passwd=\"********\"")
                .doesNotContain("s3cret");
    }

    @Test
    void a_doctype_is_refused_so_no_entity_can_expand() {
        String bomb = "<!DOCTYPE d [<!ENTITY x 'y'>]><domain><name>&x;</name></domain>";
        assertThatThrownBy(() -> DomainXml.parse(bomb)).isInstanceOf(HypervisorException.class);
    }
}
