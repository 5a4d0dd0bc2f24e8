package org.kvmportal.console.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
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
        for (VmAction action : VmAction.values()) {
            if (action.appliesTo(vm) && !action.changesConfiguration()) {
                power.getSubMenu().addItem(action.label(), click -> run(action, vm));
            }
        }
        power.setEnabled(power.getSubMenu().getItems().size() > 0);
    }

    private void run(VmAction action, DomainSummary vm) {
        if (!action.destructive()) {
            start(action, vm);
            return;
        }
        var dialog = new ConfirmDialog(
                action.label() + " " + vm.name() + "?",
                "The guest stops at once, as if its power were cut: unsaved work inside it is lost.",
                action.label(),
                confirmed -> start(action, vm));
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.setId("confirm-power");
        dialog.open();
    }

    private void start(VmAction action, DomainSummary vm) {
        var ui = UI.getCurrent();
        vms.perform(action, vm.ref())
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
