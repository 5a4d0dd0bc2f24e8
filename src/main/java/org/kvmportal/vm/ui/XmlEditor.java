package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.vm.VmEditing;
import org.kvmportal.vm.VmService;

/**
 * The persistent definition as XML, for admins. libvirt checks it against its schema; when it refuses, its
 * error shows at the field and the old definition stays. Passwords show as asterisks and are kept as they are.
 */
final class XmlEditor extends VerticalLayout {

    private final VmEditing editing;
    private final DomainRef ref;
    private final TextArea xml = new TextArea();
    private final Button load = new Button("Edit XML", event -> load());
    private final Button save = new Button("Save XML");

    XmlEditor(VmEditing editing, DomainRef ref, Runnable reload) {
        this.editing = editing;
        this.ref = ref;
        setPadding(false);
        xml.setId("hw-xml");
        xml.addClassName("xml");
        xml.setWidthFull();
        xml.setMaxHeight("40em");
        var errors = new EditErrors().bind("xml", xml);
        save.setId("hw-xml-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(event -> {
            errors.clear();
            var ui = UI.getCurrent();
            editing.defineXml(ref, xml.getValue())
                    .whenComplete((done, error) -> ui.access(() -> {
                        if (error == null) {
                            Notices.show("Definition saved.", false);
                            reload.run();
                        } else {
                            // libvirt's own words, at the field: the admin fixes the XML where it is
                            xml.setErrorMessage(VmService.messageOf(error));
                            xml.setInvalid(true);
                        }
                    }));
        });
        load.setId("hw-xml-edit");
        add(
                new Paragraph("Changes here replace the whole definition; libvirt validates them first. A running"
                        + " machine gets them at its next start."),
                load,
                xml,
                save);
        reset();
    }

    /** Back to the button: the XML is read only when an admin asks for it. */
    void reset() {
        xml.setVisible(false);
        save.setVisible(false);
        load.setVisible(true);
        xml.setInvalid(false);
    }

    private void load() {
        var ui = UI.getCurrent();
        editing.xmlForEditing(ref)
                .whenComplete((text, error) -> ui.access(() -> {
                    if (error != null) {
                        Notices.show(VmService.messageOf(error), true);
                        return;
                    }
                    xml.setValue(text);
                    xml.setVisible(true);
                    save.setVisible(true);
                    load.setVisible(false);
                }));
    }
}
