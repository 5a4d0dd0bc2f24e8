package org.kvmportal.base;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Input a service refused before it tried or saved anything. The message says why, for the person who typed
 * it; {@code field} names the form field to blame, or is empty when no one field is (a quota, say). Each
 * feature throws a subclass of its own, which lists its field names.
 */
public class InputRefusedException extends RuntimeException {

    private final String field;

    public InputRefusedException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /**
     * Starts {@code call}; input it refuses before it starts comes back as a failed future, like every other
     * failure, so that callers handle one kind of outcome.
     */
    public static <T> CompletableFuture<T> failedIfRefused(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (InputRefusedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
