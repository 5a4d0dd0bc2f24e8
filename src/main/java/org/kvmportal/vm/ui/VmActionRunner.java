package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.server.Command;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.vm.BulkOutcome;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmService;

/**
 * Runs VM actions from a view: asks first for destructive ones, never waits on the UI thread, reports the
 * outcome through push, and offers "Force off" when a guest ignores a shutdown.
 */
final class VmActionRunner {

    private final VmService vms;

    VmActionRunner(VmService vms) {
        this.vms = vms;
    }

    void run(UI ui, VmAction action, List<DomainSummary> targets) {
        if (targets.isEmpty()) {
            return;
        }
        boolean needsReason = targets.stream().anyMatch(vm -> vms.needsReason(action, vm.ref()));
        if (action.destructive() || needsReason) {
            confirm(ui, action, targets, needsReason);
        } else {
            start(ui, action, targets, null);
        }
    }

    /** Asks before a destructive action, and asks help-desk staff acting on a user's VM for their reason. */
    private void confirm(UI ui, VmAction action, List<DomainSummary> targets, boolean needsReason) {
        var dialog = new Dialog();
        dialog.setHeaderTitle(action.label()
                + (targets.size() == 1 ? " " + targets.getFirst().name() : " " + targets.size() + " virtual machines")
                + "?");
        if (action.destructive()) {
            dialog.add(new Paragraph(action.warning()));
        }
        var reason = new TextArea("Reason (goes into the audit log)");
        reason.setId("action-reason");
        reason.setMaxLength(1000);
        reason.setWidthFull();
        reason.setValueChangeMode(ValueChangeMode.EAGER);
        var cancel = new Button("Cancel", event -> dialog.close());
        var confirm = new Button(action.label(), event -> {
            dialog.close();
            start(ui, action, targets, needsReason ? reason.getValue() : null);
        });
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        if (action.destructive()) {
            confirm.addThemeVariants(ButtonVariant.LUMO_ERROR);
        }
        confirm.setId("confirm-action");
        if (needsReason) {
            reason.setRequired(true);
            confirm.setEnabled(false);
            reason.addValueChangeListener(
                    event -> confirm.setEnabled(!event.getValue().isBlank()));
            dialog.add(reason);
        }
        dialog.getFooter().add(new HorizontalLayout(cancel, confirm));
        dialog.open();
    }

    private void start(UI ui, VmAction action, List<DomainSummary> targets, String reason) {
        CompletableFuture<BulkOutcome> outcome =
                vms.performAll(action, targets.stream().map(DomainSummary::ref).toList(), reason);
        outcome.whenComplete((result, error) -> access(ui, () -> {
            if (error != null) {
                Notices.show(VmService.messageOf(error), true);
                return;
            }
            Notices.show(result.summary(), !result.failures().isEmpty());
            if (action == VmAction.SHUTDOWN) {
                result.results().stream()
                        .filter(r -> r.succeeded())
                        .forEach(r -> targets.stream()
                                .filter(vm -> vm.ref().equals(r.ref()))
                                .forEach(vm -> offerForceOffLater(ui, vm)));
            }
        }));
    }

    /** A guest without ACPI support (or a hung one) ignores "shut down": offer the hard way after a while. */
    private void offerForceOffLater(UI ui, DomainSummary vm) {
        var grace = vms.shutdownGrace();
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> access(
                        ui,
                        () -> vms.find(vm.ref())
                                .filter(now ->
                                        now.state() == PowerState.RUNNING || now.state() == PowerState.SHUTTING_DOWN)
                                .ifPresent(now -> offerForceOff(ui, now))));
    }

    private void offerForceOff(UI ui, DomainSummary vm) {
        var notification = new Notification();
        notification.addThemeVariants(NotificationVariant.LUMO_WARNING);
        notification.setDuration(0);
        var text = new Paragraph(vm.name() + " is still running "
                + vms.shutdownGrace().toSeconds() + " s after it was asked to shut down.");
        var forceOff = new Button("Force off", event -> {
            notification.close();
            run(ui, VmAction.FORCE_OFF, List.of(vm));
        });
        var dismiss = new Button("Dismiss", event -> notification.close());
        notification.add(new HorizontalLayout(text, forceOff, dismiss));
        notification.open();
    }

    /**
     * Runs {@code task} in the UI if it is still open. Actions and grace periods outlive pages: when the user
     * closed the tab or signed out meanwhile, there is nobody left to tell, and {@link UI#access} would throw.
     */
    private static void access(UI ui, Command task) {
        try {
            ui.access(task);
        } catch (UIDetachedException e) {
            // the page is gone; the outcome is in the audit log
        }
    }
}
