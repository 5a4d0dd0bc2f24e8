package org.kvmportal.base.ui;

import com.vaadin.flow.component.Component;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Connects a view to a source of change notifications for as long as the view is attached, and pushes the
 * view's update to the browser. Bursts are coalesced: while one update waits for the UI lock, further
 * notifications are dropped, since the update reads the latest state anyway.
 */
public final class LiveUpdates {

    private LiveUpdates() {}

    /**
     * @param subscribe registers a callback and returns the handle that unregisters it
     * @param update runs under the UI lock after each (coalesced) notification
     */
    public static void bind(Component view, Function<Runnable, Runnable> subscribe, Runnable update) {
        var queued = new AtomicBoolean();
        var unsubscribe = new Runnable[] {() -> {}};
        view.addAttachListener(attach -> {
            var ui = attach.getUI();
            unsubscribe[0] = subscribe.apply(() -> {
                if (queued.compareAndSet(false, true)) {
                    ui.access(() -> {
                        queued.set(false);
                        update.run();
                    });
                }
            });
        });
        view.addDetachListener(detach -> unsubscribe[0].run());
    }
}
