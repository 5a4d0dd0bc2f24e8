package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import java.util.concurrent.CompletableFuture;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.vm.VmEditing;

/** The VM's description (any text, kept as typed) and whether the host starts it when it boots. */
final class DescriptionForm extends VerticalLayout {

    DescriptionForm(VmEditing editing, DomainRef ref, HardwarePanel.Loaded loaded, EditRunner runner) {
        setPadding(false);
        var description = new TextArea("Description");
        description.setId("hw-description");
        description.setWidthFull();
        description.setValue(loaded.hardware().description());
        var autostart = new Checkbox("Start when the host boots", loaded.autostart());
        autostart.setId("hw-autostart");
        var errors = new EditErrors().bind("description", description);
        var save = new Button(
                "Save description and autostart",
                event -> runner.run(errors, () -> {
                    CompletableFuture<Void> saved = CompletableFuture.completedFuture(null);
                    if (!description.getValue().equals(loaded.hardware().description())) {
                        saved = editing.setDescription(ref, description.getValue());
                    }
                    if (autostart.getValue() != loaded.autostart()) {
                        boolean on = autostart.getValue();
                        saved = saved.thenCompose(done -> editing.setAutostart(ref, on));
                    }
                    return saved;
                }));
        save.setId("hw-description-save");
        add(description, autostart, save);
    }
}
