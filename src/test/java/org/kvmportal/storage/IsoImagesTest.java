package org.kvmportal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Disc images are told by their volume descriptors; real images made by genisoimage are tested in StorageIT. */
class IsoImagesTest {

    @Test
    void a_udf_only_recognition_sequence_is_a_disc_image() {
        byte[] head = head("BEA01", "NSR03", "TEA01");

        assertThat(IsoImages.isDiscImage(head)).isTrue();
    }

    @Test
    void nsr_without_a_beginning_of_area_or_a_descriptor_at_the_wrong_place_is_not() {
        assertThat(IsoImages.isDiscImage(head("NSR02"))).isFalse();
        byte[] shifted = new byte[IsoImages.HEAD_BYTES];
        put(shifted, IsoImages.SYSTEM_AREA - 1, "CD001"); // at the descriptor's first byte, not its second
        assertThat(IsoImages.isDiscImage(shifted)).isFalse();
    }

    @Test
    void files_shorter_than_the_system_area_or_of_another_kind_are_refused_and_the_stream_is_not_passed_on() {
        byte[] qcow2 = new byte[IsoImages.HEAD_BYTES];
        new Random(3).nextBytes(qcow2);
        put(qcow2, -1, "QFI\u00fb");

        for (byte[] file : new byte[][] {new byte[100], qcow2}) {
            assertThatThrownBy(() -> IsoImages.checked(file.length, new ByteArrayInputStream(file)))
                    .isInstanceOfSatisfying(
                            StorageInputException.class,
                            e -> assertThat(e.field()).isEqualTo("file"));
        }
    }

    @Test
    void an_accepted_image_is_given_on_whole_the_head_first() throws Exception {
        byte[] image = head("CD001");
        byte[] whole = new byte[image.length + 5000];
        new Random(5).nextBytes(whole);
        System.arraycopy(image, 0, whole, 0, image.length);

        try (var stream = IsoImages.checked(whole.length, new ByteArrayInputStream(whole))) {
            assertThat(stream.readAllBytes()).isEqualTo(whole);
        }
    }

    private static byte[] head(String... identifiers) {
        byte[] head = new byte[IsoImages.HEAD_BYTES];
        for (int index = 0; index < identifiers.length; index++) {
            put(head, IsoImages.SYSTEM_AREA + index * IsoImages.SECTOR, identifiers[index]);
        }
        return head;
    }

    /** Writes a standard identifier at a descriptor's second byte (offset -1: at the file's start instead). */
    private static void put(byte[] file, int descriptor, String identifier) {
        byte[] bytes = identifier.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(bytes, 0, file, descriptor + 1, bytes.length);
    }
}
