package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Snapshot;
import org.kvmportal.vm.VmService;
import org.kvmportal.vm.VmSnapshots;

/** Asks before a snapshot is deleted, and warns when it is the VM's clean state. */
final class DeleteSnapshotDialog {

    private DeleteSnapshotDialog() {}

    static void open(
            VmSnapshots snapshots, DomainSummary vm, Snapshot snapshot, boolean isClean, UI ui, Runnable done) {
        var dialog = new Dialog();
        dialog.setHeaderTitle("Delete snapshot " + snapshot.name() + "?");
        String text = "The snapshot is gone for good: " + vm.name() + " can no longer go back to it."
                + " Its child snapshots stay."
                + (snapshot.external() ? " Its overlay files are merged back into the disks." : "");
        dialog.add(new Paragraph(text));
        if (isClean) {
            var clean = new Paragraph("It is the clean state of " + vm.name()
                    + ": \"Reset to clean state\" is not offered until another snapshot is marked.");
            clean.setId("delete-clean-warning");
            dialog.add(clean);
        }
        var confirm = new Button("Delete", event -> {
            dialog.close();
            snapshots
                    .delete(vm.ref(), snapshot.name())
                    .whenComplete((ok, error) -> SnapshotsPanel.access(ui, () -> {
                        Notices.show(
                                error == null
                                        ? "Snapshot " + snapshot.name() + " deleted."
                                        : VmService.messageOf(error),
                                error != null);
                        done.run();
                    }));
        });
        confirm.setId("confirm-delete-snapshot");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.getFooter().add(new Button("Cancel", event -> dialog.close()), confirm);
        dialog.open();
    }
}
