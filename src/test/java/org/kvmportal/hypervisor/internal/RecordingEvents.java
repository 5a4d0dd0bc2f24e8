package org.kvmportal.hypervisor.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Collects the hypervisor's events so a test can wait for the one it expects. */
final class RecordingEvents implements Consumer<Object> {

    private final List<Object> events = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Object event) {
        events.add(event);
    }

    <T> T await(Class<T> type, Predicate<T> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Object event : events) {
                if (type.isInstance(event) && condition.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("No " + type.getSimpleName() + " matching the condition within " + timeout
                + "; events seen: " + events);
    }

    void clear() {
        events.clear();
    }
}
