package org.kvmportal.base;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Callbacks of open views that want to hear about a change. Views subscribe on attach and call the returned
 * handle on detach; callbacks run on the notifying thread and must hand their work to the UI quickly.
 */
public final class Listeners {

    private final Set<Runnable> callbacks = new CopyOnWriteArraySet<>();

    /** @return call it to stop listening */
    public Runnable subscribe(Runnable callback) {
        callbacks.add(callback);
        return () -> callbacks.remove(callback);
    }

    public void notifyListeners() {
        callbacks.forEach(Runnable::run);
    }
}
