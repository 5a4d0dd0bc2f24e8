package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import org.kvmportal.base.Failures;
import org.kvmportal.base.ui.FieldErrors;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.FullSnapshotImpossibleException;
import org.kvmportal.hypervisor.SnapshotKind;
import org.kvmportal.hypervisor.SnapshotSupport;
import org.kvmportal.vm.VmService;
import org.kvmportal.vm.VmSnapshots;

/**
 * Takes a snapshot: a name (suggested), a description, and for a running VM whether to include its memory. Says
 * before anyone tries when only a disk-only snapshot is possible, and why, and offers one when the host refuses
 * a full snapshot.
 */
final class CreateSnapshotDialog extends Dialog {

    private final VmSnapshots snapshots;
    private final DomainSummary vm;
    private final UI ui;
    private final Runnable created;
    private final TextField name = new TextField("Name");
    private final TextArea description = new TextArea("Description");
    private final FieldErrors errors = new FieldErrors().bind("name", name).bind("description", description);
    private final Checkbox memory = new Checkbox("Include memory (the programs running now)", true);
    private final Paragraph notice = new Paragraph();
    private final Button create = new Button("Create");
    private final Button diskOnly = new Button("Create disk-only snapshot");
    private SnapshotSupport support;

    CreateSnapshotDialog(VmSnapshots snapshots, DomainSummary vm, UI ui, Runnable created) {
        this.snapshots = snapshots;
        this.vm = vm;
        this.ui = ui;
        this.created = created;
        setHeaderTitle("Snapshot of " + vm.name());
        name.setId("snapshot-name");
        name.setValue(snapshots.suggestedName());
        name.setWidthFull();
        description.setId("snapshot-description");
        description.setWidthFull();
        memory.setId("snapshot-memory");
        memory.setVisible(vm.state().isActive());
        memory.setEnabled(false);
        memory.addValueChangeListener(event -> explain());
        notice.setId("snapshot-notice");
        notice.setText("Checking what this machine can take…");
        var form = new VerticalLayout(name, description, memory, notice);
        form.setPadding(false);
        add(form);
        create.setId("confirm-create-snapshot");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setEnabled(false);
        create.addClickListener(event -> submit(kind()));
        diskOnly.setId("confirm-create-disk-only");
        diskOnly.setVisible(false);
        diskOnly.addClickListener(event -> submit(SnapshotKind.DISK_ONLY));
        getFooter().add(new Button("Cancel", event -> close()), diskOnly, create);
        snapshots
                .support(vm.ref())
                .whenComplete((found, error) -> SnapshotsPanel.access(ui, () -> {
                    if (error != null) {
                        // Let the host decide: its refusal, if any, is translated too.
                        notice.setText(VmService.messageOf(error));
                        create.setEnabled(true);
                        return;
                    }
                    support = found;
                    memory.setEnabled(found.full());
                    memory.setValue(found.full());
                    create.setEnabled(found.full() || found.diskOnly());
                    explain();
                }));
    }

    private SnapshotKind kind() {
        boolean full = support == null || support.full();
        return full && (!vm.state().isActive() || memory.getValue()) ? SnapshotKind.FULL : SnapshotKind.DISK_ONLY;
    }

    /** What the snapshot about to be taken keeps, in words. */
    private void explain() {
        if (support == null) {
            return;
        }
        if (!support.full() && !support.diskOnly()) {
            notice.setText("No snapshot is possible: " + support.whyNotFull() + ".");
            return;
        }
        String text;
        if (kind() == SnapshotKind.FULL) {
            text = vm.state().isActive()
                    ? "A full snapshot: the disks and the memory. Reverting to it resumes the programs running now."
                    : "A full snapshot of the disks, kept inside the disk images.";
        } else {
            text = (support.full() ? "" : "A full snapshot is not possible: " + support.whyNotFull() + ". ")
                    + "This will be a disk-only snapshot: the disks (not the memory) are kept as they are now, and"
                    + " the machine writes to new overlay files beside them from now on.";
            if (!support.diskOnlyRevertible()) {
                text += " This host's libvirt (" + support.libvirtVersion() + ") cannot revert to disk-only"
                        + " snapshots (9.9 and newer can).";
            }
        }
        notice.setText(text);
    }

    private void submit(SnapshotKind kind) {
        create.setEnabled(false);
        diskOnly.setEnabled(false);
        errors.clear();
        snapshots
                .create(vm.ref(), name.getValue(), description.getValue(), kind)
                .whenComplete((ok, error) -> SnapshotsPanel.access(ui, () -> {
                    create.setEnabled(true);
                    diskOnly.setEnabled(true);
                    if (error == null) {
                        close();
                        Notices.show("Snapshot " + name.getValue().strip() + " created.", false);
                        created.run();
                        return;
                    }
                    refused(Failures.causeOf(error));
                }));
    }

    private void refused(Throwable cause) {
        if (errors.markField(cause)) {
            return; // at the field to blame
        }
        if (cause instanceof FullSnapshotImpossibleException) {
            notice.setText(cause.getMessage());
            diskOnly.setVisible(true);
        } else {
            notice.setText(VmService.messageOf(cause));
        }
    }
}
