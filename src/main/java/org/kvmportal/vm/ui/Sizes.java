package org.kvmportal.vm.ui;

import java.util.Locale;

/** Sizes as people read them. */
final class Sizes {

    private Sizes() {}

    static String memory(long kib) {
        if (kib >= 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024));
        }
        return (kib / 1024) + " MiB";
    }
}
