package org.kvmportal.storage.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.IntegerField;
import org.kvmportal.hypervisor.StorageVolume;
import org.kvmportal.storage.Bytes;
import org.kvmportal.storage.StorageService;

/** Grows a volume. The guest sees the new size at its next boot (or after it rescans the disk). */
final class ResizeDialog extends Dialog {

    private static final long GIB = 1024L * 1024 * 1024;

    ResizeDialog(StorageService storage, String host, StorageVolume volume, Runnable onResized) {
        setHeaderTitle("Resize " + volume.name());
        add(new Paragraph("Now " + Bytes.of(volume.capacityBytes()) + ". A volume only grows: shrinking would cut off"
                + " the guest's data."));
        var size = new IntegerField("New size (GiB)");
        size.setId("resize-size");
        size.setValue((int) Math.min(Integer.MAX_VALUE, volume.capacityBytes() / GIB + 1));
        add(size);
        var resize = new Button("Resize", event -> {
            var ui = UI.getCurrent();
            Long gib = size.getValue() == null ? null : size.getValue().longValue();
            Outcome.when(ui, storage.resizeVolume(host, volume.pool(), volume.name(), gib), done -> {
                close();
                Outcome.show(volume.name() + " now holds " + gib + " GiB.", false);
                onResized.run();
            });
        });
        resize.setId("resize-confirm");
        resize.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", event -> close()), resize);
    }
}
