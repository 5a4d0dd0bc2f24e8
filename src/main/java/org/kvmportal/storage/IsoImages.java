package org.kvmportal.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Tells a disc image from any other file by its content, not its name: ISO 9660 (ECMA-119) and UDF (ECMA-167)
 * both leave the first 16 sectors of 2,048 bytes to the system and start their volume descriptors at byte
 * 32,768, each descriptor carrying a five-letter standard identifier at its second byte. ISO 9660 says
 * {@code CD001}; a UDF volume's recognition sequence says {@code BEA01}, then {@code NSR02} or {@code NSR03}.
 * A file is accepted when the first descriptor is ISO 9660's, or when a UDF NSR descriptor follows a
 * beginning-of-area one within the sequence.
 */
final class IsoImages {

    static final int SECTOR = 2048;
    static final int SYSTEM_AREA = 16 * SECTOR;

    /** How many descriptors of the recognition sequence are read: UDF discs have three, hybrids a few more. */
    private static final int DESCRIPTORS_READ = 8;

    static final int HEAD_BYTES = SYSTEM_AREA + DESCRIPTORS_READ * SECTOR;

    private static final String ISO_9660 = "CD001";
    private static final String UDF_AREA_START = "BEA01";
    private static final Set<String> UDF_NSR = Set.of("NSR02", "NSR03");

    private IsoImages() {}

    /**
     * Reads the start of an upload, refuses it unless it is an ISO 9660 or UDF image, and returns a stream that
     * gives the whole upload again (the bytes read first, then the rest), so nothing is written to the pool
     * before the check passed.
     */
    static InputStream checked(long size, InputStream data) {
        byte[] head;
        try {
            head = data.readNBytes((int) Math.min(size, HEAD_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the uploaded file", e);
        }
        if (!isDiscImage(head)) {
            throw new StorageInputException(
                    "file",
                    "This file is not a disc image: an ISO image starts with an ISO 9660 or UDF volume descriptor"
                            + " at 32 KiB, and this one does not. Choose the .iso file itself, not an archive or"
                            + " a disk image of another kind.");
        }
        return new SequenceInputStream(new ByteArrayInputStream(head), data);
    }

    static boolean isDiscImage(byte[] head) {
        if (identifierAt(head, 0).equals(ISO_9660)) {
            return true;
        }
        boolean udfArea = false;
        for (int index = 0; index < DESCRIPTORS_READ; index++) {
            String identifier = identifierAt(head, index);
            udfArea |= identifier.equals(UDF_AREA_START);
            if (udfArea && UDF_NSR.contains(identifier)) {
                return true;
            }
        }
        return false;
    }

    /** The standard identifier of the index-th volume descriptor, or "" when the file is shorter. */
    private static String identifierAt(byte[] head, int index) {
        int start = SYSTEM_AREA + index * SECTOR + 1;
        if (head.length < start + 5) {
            return "";
        }
        return new String(Arrays.copyOfRange(head, start, start + 5), StandardCharsets.US_ASCII);
    }
}
