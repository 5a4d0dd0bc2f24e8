package org.kvmportal.storage.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import org.kvmportal.base.Failures;
import org.kvmportal.base.ui.FieldErrors;
import org.kvmportal.hypervisor.VolumeFormat;
import org.kvmportal.storage.StorageService;

/** A new empty volume in the chosen pool; the service's refusals land on the field they are about. */
final class VolumeDialog extends Dialog {

    private final TextField name = new TextField("Name");
    private final Select<VolumeFormat> format = new Select<>();
    private final IntegerField size = new IntegerField("Size (GiB)");
    private final FieldErrors errors =
            new FieldErrors().bind("name", name).bind("format", format).bind("size", size);

    VolumeDialog(StorageService storage, String host, String pool, Runnable onCreated) {
        setHeaderTitle("New volume in " + pool);
        name.setId("volume-name");
        name.setHelperText("e.g. web-1.qcow2, or data.img for raw");
        format.setLabel("Format");
        format.setId("volume-format");
        format.setItems(VolumeFormat.values());
        format.setItemLabelGenerator(VolumeFormat::libvirtName);
        format.setValue(VolumeFormat.QCOW2);
        size.setId("volume-size");
        size.setMin(1);
        size.setValue(10);
        var create = new Button("Create", event -> {
            var ui = UI.getCurrent();
            errors.clear();
            Long gib = size.getValue() == null ? null : size.getValue().longValue();
            storage.createVolume(host, pool, name.getValue(), format.getValue(), gib)
                    .whenComplete((volume, error) -> Outcome.access(ui, () -> {
                        if (error == null) {
                            close();
                            Outcome.show("Volume " + volume.name() + " created.", false);
                            onCreated.run();
                        } else if (!errors.markField(error)) {
                            Outcome.show(Failures.messageOf(error), true);
                        }
                    }));
        });
        create.setId("volume-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var content = new VerticalLayout(name, format, size);
        content.setPadding(false);
        add(content);
        getFooter().add(new Button("Cancel", event -> close()), create);
    }
}
