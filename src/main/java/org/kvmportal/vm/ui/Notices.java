package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import org.kvmportal.vm.VmService;

/** The outcome of something the user did, at the bottom of the page: failures stay longer. */
final class Notices {

    private Notices() {}

    /** Runs a change the user asked for; on success runs {@code then}, on refusal says why. */
    static void attempt(Runnable change, Runnable then) {
        try {
            change.run();
            then.run();
        } catch (RuntimeException e) {
            show(VmService.messageOf(e), true);
        }
    }

    /** A quiet "Remove" button for a row of a list. */
    static Button removeButton(Runnable remove) {
        var button = new Button("Remove", event -> remove.run());
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        return button;
    }

    static void show(String message, boolean failed) {
        var notification = Notification.show(message, failed ? 10_000 : 4_000, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(failed ? NotificationVariant.LUMO_ERROR : NotificationVariant.LUMO_SUCCESS);
    }
}
