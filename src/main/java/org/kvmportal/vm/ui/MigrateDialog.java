package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.server.Command;
import java.util.Locale;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.MigrationMode;
import org.kvmportal.hypervisor.MigrationProgress;
import org.kvmportal.vm.VmMigration;
import org.kvmportal.vm.VmService;

/**
 * "Migrate…" on a VM's page (admins): the target among the other connected hosts, how the VM will move and
 * what that means, then progress and Cancel. On success the page of the VM on its new host opens.
 */
final class MigrateDialog extends Dialog {

    private static final String SHARED = "Shared storage: the target host sees the same disk files (nothing is copied)";
    private static final String COPY =
            "Copy the disks to the target host (slower; its storage must have room at the same paths)";

    private final VmMigration migration;
    private final DomainSummary vm;
    private final MigrationMode mode;
    private final Select<String> target = new Select<>();
    private final RadioButtonGroup<String> storage = new RadioButtonGroup<>("Disks");
    private final IntegerField bandwidth = new IntegerField("Bandwidth limit (MiB/s, empty for none)");
    private final ProgressBar bar = new ProgressBar();
    private final Paragraph status = new Paragraph();
    private final Button start = new Button("Migrate");
    private final Button cancel = new Button("Cancel migration");
    private final Button close = new Button("Close", event -> close());

    MigrateDialog(VmMigration migration, DomainSummary vm, MigrationMode mode) {
        this.migration = migration;
        this.vm = vm;
        this.mode = mode;
        setHeaderTitle("Move " + vm.name() + " to another host");
        setWidth("36rem");
        add(new Paragraph(explanation()));
        var hosts = migration.targetsFor(vm.ref());
        target.setLabel("Target host");
        target.setItems(hosts);
        target.setId("migrate-target");
        target.setWidthFull();
        add(target);
        if (hosts.isEmpty()) {
            add(new Paragraph("No other host is connected: add one on the Hosts page, or wait until it is back."));
        }
        if (mode == MigrationMode.LIVE) {
            storage.setItems(SHARED, COPY);
            storage.setValue(SHARED);
            storage.setId("migrate-storage");
            bandwidth.setMin(1);
            bandwidth.setMax(VmMigration.MAX_BANDWIDTH);
            bandwidth.setId("migrate-bandwidth");
            bandwidth.setWidthFull();
            add(storage, bandwidth);
        }
        bar.setVisible(false);
        bar.setId("migrate-progress");
        status.setId("migrate-status");
        add(bar, status);
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        start.setId("start-migration");
        start.setEnabled(false);
        target.addValueChangeListener(event -> start.setEnabled(event.getValue() != null));
        start.addClickListener(event -> begin());
        cancel.setId("cancel-migration");
        cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
        cancel.setVisible(false);
        cancel.addClickListener(event -> {
            cancel.setEnabled(false);
            status.setText("Cancelling…");
            migration.cancel(vm.ref());
        });
        getFooter().add(new HorizontalLayout(close, cancel, start));
    }

    private String explanation() {
        return mode == MigrationMode.LIVE
                ? vm.name() + " is " + vm.state().label().toLowerCase(Locale.ROOT) + ", so it moves live: it keeps"
                        + " running while its memory is copied to the target, then pauses for a moment while it"
                        + " switches over. Its console reconnects on the new host. You can cancel until the switch;"
                        + " it then stays here."
                : vm.name() + " is shut off, so it moves offline: only its definition moves, and its disks stay"
                        + " where they are. The target host must see them at the same paths to start it.";
    }

    private void begin() {
        var ui = UI.getCurrent();
        String host = target.getValue();
        target.setEnabled(false);
        storage.setEnabled(false);
        bandwidth.setEnabled(false);
        start.setVisible(false);
        cancel.setVisible(mode == MigrationMode.LIVE);
        bar.setVisible(true);
        bar.setIndeterminate(true);
        status.setText("Moving " + vm.name() + " to host " + host + "…");
        Integer limit = bandwidth.getValue();
        migration
                .migrate(
                        vm.ref(),
                        host,
                        COPY.equals(storage.getValue()),
                        limit == null ? 0 : limit,
                        progress -> access(ui, () -> show(progress)))
                .whenComplete((moved, error) -> access(ui, () -> {
                    if (error == null) {
                        finished(ui, host, moved);
                    } else {
                        failed(VmService.messageOf(error));
                    }
                }));
    }

    private void show(MigrationProgress progress) {
        int percent = progress.percent();
        if (percent < 0 || !isOpened()) {
            return;
        }
        bar.setIndeterminate(false);
        bar.setValue(percent / 100.0);
        status.setText("Copied " + Sizes.memory(progress.processedBytes() / 1024) + ", "
                + Sizes.memory(progress.remainingBytes() / 1024) + " to go (" + percent + " %), "
                + progress.elapsed().toSeconds() + " s so far.");
    }

    private void finished(UI ui, String host, DomainRef moved) {
        Notices.show(vm.name() + " now runs on host " + host + ".", false);
        close();
        ui.navigate(VmDetailsView.class, VmDetailsView.parameters(moved));
    }

    private void failed(String message) {
        bar.setVisible(false);
        cancel.setVisible(false);
        status.setText(message);
        Notices.show(message, true);
    }

    /** Progress and outcome arrive on background threads, maybe after the user left the page. */
    private static void access(UI ui, Command task) {
        try {
            ui.access(task);
        } catch (UIDetachedException e) {
            // nobody is watching; the outcome is in the audit log
        }
    }
}
