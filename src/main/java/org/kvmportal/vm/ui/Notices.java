package org.kvmportal.vm.ui;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;

/** The outcome of something the user did, at the bottom of the page: failures stay longer. */
final class Notices {

    private Notices() {}

    static void show(String message, boolean failed) {
        var notification = Notification.show(message, failed ? 10_000 : 4_000, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(failed ? NotificationVariant.LUMO_ERROR : NotificationVariant.LUMO_SUCCESS);
    }
}
