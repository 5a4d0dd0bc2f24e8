package org.kvmportal.hypervisor.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** UTF-8 strings to and from libvirt's C API, whatever the JVM's native encoding. */
final class NativeStrings {

    private NativeStrings() {}

    /** NUL-terminated UTF-8, for a {@code const char *} argument. */
    static byte[] utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** Reads a string that libvirt owns. */
    static String read(Pointer text) {
        return text == null ? null : text.getString(0, StandardCharsets.UTF_8.name());
    }

    /** Reads a string that the caller owns, then frees it (C {@code free}). */
    static String take(Pointer text) {
        if (text == null) {
            return null;
        }
        try {
            return read(text);
        } finally {
            Native.free(Pointer.nativeValue(text));
        }
    }
}
