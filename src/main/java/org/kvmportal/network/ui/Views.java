package org.kvmportal.network.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.kvmportal.base.Failures;

/** Shows what came of a network call, through push, once libvirt has answered. */
final class Views {

    private Views() {}

    static <T> void when(UI ui, CompletableFuture<T> call, Consumer<T> then) {
        call.whenComplete((value, error) -> {
            try {
                ui.access(() -> {
                    if (error == null) {
                        then.accept(value);
                    } else {
                        show(Failures.messageOf(error), true);
                    }
                });
            } catch (UIDetachedException e) {
                // the page is gone; the change is in the audit log
            }
        });
    }

    static void show(String message, boolean failed) {
        var notification = Notification.show(message, failed ? 10_000 : 4_000, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(failed ? NotificationVariant.LUMO_ERROR : NotificationVariant.LUMO_SUCCESS);
    }
}
