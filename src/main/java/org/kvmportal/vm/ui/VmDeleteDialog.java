package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.server.Command;
import java.util.List;
import org.kvmportal.hypervisor.DomainDisk;
import org.kvmportal.hypervisor.DomainRemovalOutcome;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmRemoval;
import org.kvmportal.vm.VmService;

/**
 * Asks before deleting a VM: lists its disks, says which would go with "also delete these disks" and why the
 * others are kept (another VM's disk, a template's backing file, installation media, outside the pools). A
 * running VM cannot be deleted: the dialog offers to force it off first.
 */
final class VmDeleteDialog extends Dialog {

    private final VmRemoval removal;
    private final DomainSummary vm;
    private final Runnable onDeleted;
    private final UnorderedList disks = new UnorderedList();
    private final Checkbox withDisks = new Checkbox("Also delete these disks");
    private final Button delete = new Button("Delete");

    VmDeleteDialog(VmRemoval removal, VmService vms, DomainSummary vm, Runnable onDeleted) {
        this.removal = removal;
        this.vm = vm;
        this.onDeleted = onDeleted;
        setHeaderTitle("Delete " + vm.name() + "?");
        setId("delete-vm-dialog");
        add(new Paragraph("Its definition, snapshots and saved state are removed. This cannot be undone."));
        disks.setId("delete-vm-disks");
        disks.add(new ListItem("Reading its disks…"));
        withDisks.setId("delete-vm-disks-too");
        withDisks.setEnabled(false);
        add(disks, withDisks);
        delete.setId("delete-vm-confirm");
        delete.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        delete.addClickListener(event -> confirm());
        var cancel = new Button("Cancel", event -> close());
        getFooter().add(cancel);
        if (vm.state().isActive()) {
            delete.setEnabled(false);
            var forceOff = new Button("Force off first", event -> {
                var ui = UI.getCurrent();
                event.getSource().setEnabled(false);
                vms.perform(VmAction.FORCE_OFF, vm.ref())
                        .whenComplete((done, error) -> access(ui, () -> {
                            if (error != null) {
                                Notices.show(VmService.messageOf(error), true);
                                return;
                            }
                            delete.setEnabled(true);
                        }));
            });
            forceOff.setId("delete-vm-force-off");
            add(new Paragraph(vm.name() + " is " + vm.state().label().toLowerCase(java.util.Locale.ROOT)
                    + ": it must be off before it can be deleted. Forcing it off loses what the guest has not saved."));
            getFooter().add(forceOff);
        }
        getFooter().add(delete);
    }

    @Override
    public void open() {
        super.open();
        var ui = UI.getCurrent();
        removal.disks(vm.ref())
                .whenComplete((list, error) -> access(ui, () -> {
                    disks.removeAll();
                    if (error != null) {
                        disks.add(new ListItem(VmService.messageOf(error)));
                        return;
                    }
                    showDisks(list);
                }));
    }

    private void showDisks(List<DomainDisk> list) {
        if (list.isEmpty()) {
            disks.add(new ListItem("It has no disks."));
        }
        for (var disk : list) {
            String verdict = disk.deletable()
                    ? "deleted if you tick the box below"
                    : "kept: " + String.join("; ", disk.protections());
            disks.add(new ListItem(disk.target() + " · " + disk.path() + " — " + verdict));
        }
        withDisks.setEnabled(list.stream().anyMatch(DomainDisk::deletable));
    }

    private void confirm() {
        var ui = UI.getCurrent();
        delete.setEnabled(false);
        removal.delete(vm.ref(), withDisks.getValue())
                .whenComplete((outcome, error) -> access(ui, () -> {
                    if (error != null) {
                        delete.setEnabled(true);
                        Notices.show(VmService.messageOf(error), true);
                        return;
                    }
                    close();
                    Notices.show(summary(outcome), false);
                    onDeleted.run();
                }));
    }

    private static String summary(DomainRemovalOutcome outcome) {
        int removed = outcome.removed().size();
        return outcome.domain() + " deleted"
                + (removed == 0
                        ? "; its disks were kept."
                        : " with " + removed + (removed == 1 ? " disk." : " disks."));
    }

    private static void access(UI ui, Command task) {
        try {
            ui.access(task);
        } catch (UIDetachedException e) {
            // the page is gone; the outcome is in the audit log
        }
    }
}
