package org.kvmportal.base;

import java.util.concurrent.CompletionException;

/** What went wrong in an asynchronous call, without the wrapper {@code CompletableFuture} puts around it. */
public final class Failures {

    private Failures() {}

    public static Throwable causeOf(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The cause's message, for a person; its type when it has none. */
    public static String messageOf(Throwable error) {
        var cause = causeOf(error);
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
