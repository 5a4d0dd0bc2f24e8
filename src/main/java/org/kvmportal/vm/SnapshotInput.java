package org.kvmportal.vm;

import java.util.Collection;
import java.util.regex.Pattern;

/** Checks a new snapshot's name and description before libvirt sees them. */
final class SnapshotInput {

    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_DESCRIPTION_LENGTH = 2000;

    /**
     * Letters, digits, dots, dashes and underscores: safe in the overlay file names a disk-only snapshot gets
     * (libvirt appends the name to the disk's path), and in QEMU's snapshot commands.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private static final Pattern HAS_LETTER = Pattern.compile(".*[A-Za-z].*");

    private SnapshotInput() {}

    static String name(String raw, Collection<String> existing) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw new SnapshotInputException("name", "Give the snapshot a name.");
        }
        if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw new SnapshotInputException(
                    "name",
                    "A snapshot name has 1 to " + MAX_NAME_LENGTH + " letters, digits, dots, dashes or underscores,"
                            + " and starts with a letter or digit.");
        }
        if (!HAS_LETTER.matcher(name).matches()) {
            // QEMU takes a name of digits only for the number of another snapshot.
            throw new SnapshotInputException("name", "A snapshot name needs at least one letter.");
        }
        if (existing.contains(name)) {
            throw new SnapshotInputException("name", "This machine already has a snapshot named " + name + ".");
        }
        return name;
    }

    /**
     * Kept exactly as typed, so only what libvirt's XML keeps exactly is allowed: line breaks and tabs, but no
     * carriage returns (XML turns them into line breaks) and no other control characters (libvirt drops them).
     */
    static String description(String raw) {
        String description = raw == null ? "" : raw;
        if (description.codePointCount(0, description.length()) > MAX_DESCRIPTION_LENGTH) {
            throw new SnapshotInputException(
                    "description", "A description has at most " + MAX_DESCRIPTION_LENGTH + " characters.");
        }
        for (int i = 0; i < description.length(); ) {
            int c = description.codePointAt(i);
            if (c == '\r') {
                throw new SnapshotInputException(
                        "description", "Use plain line breaks: a snapshot description cannot keep carriage returns.");
            }
            if (!keepable(c)) {
                throw new SnapshotInputException(
                        "description",
                        "The description contains a control or invalid character (at position " + (i + 1)
                                + ") that a snapshot cannot keep.");
            }
            i += Character.charCount(c);
        }
        return description;
    }

    /** XML 1.0's characters, less the control characters other than tab and line feed. */
    private static boolean keepable(int c) {
        return c == '\t'
                || c == '\n'
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
