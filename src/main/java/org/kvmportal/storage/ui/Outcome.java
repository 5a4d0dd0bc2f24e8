package org.kvmportal.storage.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.kvmportal.base.Failures;

/** Shows what came of a storage call, through push, once libvirt has answered; never waits on the UI thread. */
final class Outcome {

    private Outcome() {}

    /** On success runs {@code then} in the UI; on failure shows the message, which is written for a person. */
    static <T> void when(UI ui, CompletableFuture<T> call, Consumer<T> then) {
        call.whenComplete((value, error) -> access(ui, () -> {
            if (error == null) {
                then.accept(value);
            } else {
                show(Failures.messageOf(error), true);
            }
        }));
    }

    static void show(String message, boolean failed) {
        var notification = Notification.show(message, failed ? 10_000 : 4_000, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(failed ? NotificationVariant.LUMO_ERROR : NotificationVariant.LUMO_SUCCESS);
    }

    /** Runs {@code task} in the UI if it is still open: the user may have left the page meanwhile. */
    static void access(UI ui, Runnable task) {
        try {
            ui.access(task::run);
        } catch (UIDetachedException e) {
            // nobody left to tell; changes are in the audit log
        }
    }
}
