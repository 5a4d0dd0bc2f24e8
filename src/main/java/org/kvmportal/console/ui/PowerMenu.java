package org.kvmportal.console.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmService;

/** The console's power menu: the actions valid in the VM's state, destructive ones confirmed first. */
final class PowerMenu extends MenuBar {

    private final VmService vms;

    PowerMenu(VmService vms) {
        this.vms = vms;
        setId("console-power");
    }

    /** Rebuilds the menu for the VM's current state. */
    void show(DomainSummary vm) {
        removeAll();
        var power = addItem("Power");
        for (VmAction action : vms.offeredActions(vm)) {
            power.getSubMenu().addItem(action.label(), click -> run(action, vm));
        }
        power.setEnabled(power.getSubMenu().getItems().size() > 0);
    }

    /** Destructive actions are confirmed; help-desk staff on a user's VM give a reason for the audit log. */
    private void run(VmAction action, DomainSummary vm) {
        boolean needsReason = vms.needsReason(action, vm.ref());
        if (!action.destructive() && !needsReason) {
            start(action, vm, null);
            return;
        }
        var reason = new TextArea("Reason (goes into the audit log)");
        reason.setId("power-reason");
        reason.setWidthFull();
        reason.setMaxLength(1000);
        var text = new VerticalLayout();
        text.setPadding(false);
        if (action.destructive()) {
            text.add(new Paragraph(action.warning()));
        }
        if (needsReason) {
            text.add(reason);
        }
        var dialog = new ConfirmDialog(
                action.label() + " " + vm.name() + "?",
                "",
                action.label(),
                confirmed -> start(action, vm, needsReason ? reason.getValue() : null));
        dialog.setText(text);
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme(action.destructive() ? "error primary" : "primary");
        dialog.setId("confirm-power");
        dialog.open();
    }

    private void start(VmAction action, DomainSummary vm, String reason) {
        var ui = UI.getCurrent();
        vms.perform(action, vm.ref(), reason)
                .whenComplete((ignored, error) -> ui.access(() -> {
                    var notification = Notification.show(
                            error == null ? vm.name() + ": " + action.pastTense() + "." : VmService.messageOf(error),
                            error == null ? 3_000 : 10_000,
                            Notification.Position.BOTTOM_START);
                    notification.addThemeVariants(
                            error == null ? NotificationVariant.LUMO_SUCCESS : NotificationVariant.LUMO_ERROR);
                }));
    }
}
