package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Snapshot;
import org.kvmportal.vm.VmService;
import org.kvmportal.vm.VmSnapshots;

/**
 * Asks before a revert, saying what it does to the VM as it is now: a snapshot without memory stops a running
 * VM, so it offers to start it again from the reverted disks.
 */
final class RevertSnapshotDialog extends Dialog {

    RevertSnapshotDialog(VmSnapshots snapshots, DomainSummary vm, Snapshot snapshot, UI ui, Runnable done) {
        setHeaderTitle("Revert " + vm.name() + " to " + snapshot.name() + "?");
        var warning = new Paragraph(snapshots.revertWarning(vm, snapshot));
        warning.setId("revert-warning");
        add(warning);
        var start = new Checkbox("Start it afterwards", false);
        start.setId("revert-start");
        start.setVisible(!snapshot.memory());
        add(start);
        var confirm = new Button("Revert", event -> {
            close();
            snapshots
                    .revert(vm.ref(), snapshot.name(), start.getValue())
                    .whenComplete((ok, error) -> SnapshotsPanel.access(ui, () -> {
                        Notices.show(
                                error == null
                                        ? vm.name() + " reverted to " + snapshot.name() + "."
                                        : VmService.messageOf(error),
                                error != null);
                        done.run();
                    }));
        });
        confirm.setId("confirm-revert");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        getFooter().add(new Button("Cancel", event -> close()), confirm);
    }
}
