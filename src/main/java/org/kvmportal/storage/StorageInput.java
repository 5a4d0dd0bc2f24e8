package org.kvmportal.storage;

import java.util.Locale;
import java.util.regex.Pattern;
import org.kvmportal.hypervisor.VolumeFormat;

/** Checks what an admin typed or picked for storage before any libvirt call. */
final class StorageInput {

    /** Letters, digits and {@code . _ + -}, not starting with a dot: no paths, no hidden files, no spaces. */
    private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}");

    /** The largest volume the form takes: 64 TiB. */
    static final long MAX_GIB = 64 * 1024;

    static final long GIB = 1024L * 1024 * 1024;

    private StorageInput() {}

    static String volumeName(String raw, VolumeFormat format) {
        String name = raw == null ? "" : raw.strip();
        if (!VOLUME_NAME.matcher(name).matches()) {
            throw new StorageInputException(
                    "name",
                    "A volume name has 1 to 200 letters, digits, dots, dashes, underscores or plus signs, and"
                            + " starts with a letter or digit.");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (format == VolumeFormat.QCOW2 && !lower.endsWith(".qcow2")) {
            throw new StorageInputException("name", "A qcow2 volume's name ends in .qcow2, e.g. web-1.qcow2.");
        }
        if (format == VolumeFormat.RAW && !(lower.endsWith(".img") || lower.endsWith(".raw"))) {
            throw new StorageInputException("name", "A raw volume's name ends in .img or .raw, e.g. data.img.");
        }
        return name;
    }

    static VolumeFormat format(VolumeFormat format) {
        if (format == null) {
            throw new StorageInputException("format", "Choose a format: qcow2 or raw.");
        }
        return format;
    }

    /** A size in whole GiB, 1 to 64 TiB, as bytes. */
    static long sizeGib(Long gib) {
        if (gib == null || gib < 1 || gib > MAX_GIB) {
            throw new StorageInputException("size", "Enter a size from 1 to " + MAX_GIB + " GiB.");
        }
        return gib * GIB;
    }

    /** The name an uploaded ISO image gets in the pool: the browser's file name, if it is a plain one. */
    static String isoName(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (!VOLUME_NAME.matcher(name).matches()
                || !name.toLowerCase(Locale.ROOT).endsWith(".iso")) {
            throw new StorageInputException(
                    "file",
                    "Only ISO images (.iso) whose names have letters, digits, dots, dashes, underscores or plus"
                            + " signs (no spaces) can be uploaded; rename the file and try again.");
        }
        return name;
    }

    /** A pool or volume name the server listed; anything else is refused before libvirt sees it. */
    static String listedName(String field, String raw) {
        String name = raw == null ? "" : raw;
        if (name.isBlank()
                || name.length() > 255
                || name.contains("/")
                || name.chars().anyMatch(c -> c < ' ')) {
            throw new StorageInputException(field, "Choose a " + field + " from the list.");
        }
        return name;
    }
}
