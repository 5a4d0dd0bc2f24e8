package org.kvmportal.console.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RfbClientFilterTest {

    private static final byte[] GREETING =
            concat("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII), new byte[] {1}, new byte[] {0} /* exclusive */);
    private static final byte[] KEY = {4, 1, 0, 0, 0, 0, 0, 0x61};
    private static final byte[] POINTER = {5, 1, 0, 10, 0, 20};
    private static final byte[] UPDATE_REQUEST = {3, 1, 0, 0, 0, 0, 4, 0, 3, 0};
    private static final byte[] CUT_TEXT = {6, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c'};
    private static final byte[] CTRL_ALT_DEL_XVP = {(byte) 250, 0, 1, 4};

    @Test
    void every_client_is_made_to_share_the_display() throws Exception {
        byte[] out = run(new RfbClientFilter(false), GREETING);

        assertThat(out[out.length - 1]).as("ClientInit shared flag").isEqualTo((byte) 1);
    }

    @Test
    void an_interactive_client_passes_through_untouched_after_its_greeting() throws Exception {
        byte[] session = concat(GREETING, KEY, POINTER, CUT_TEXT, new byte[] {(byte) 200, 1, 2, 3});

        byte[] out = run(new RfbClientFilter(false), session);

        byte[] expected = session.clone();
        expected[GREETING.length - 1] = 1;
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void a_view_only_client_keeps_what_shapes_its_view_and_loses_its_input() throws Exception {
        byte[] session = concat(GREETING, KEY, UPDATE_REQUEST, POINTER, CUT_TEXT, CTRL_ALT_DEL_XVP, UPDATE_REQUEST);

        byte[] out = run(new RfbClientFilter(true), session);

        byte[] greeting = GREETING.clone();
        greeting[greeting.length - 1] = 1;
        assertThat(out).isEqualTo(concat(greeting, UPDATE_REQUEST, UPDATE_REQUEST));
    }

    @Test
    void messages_split_anywhere_are_filtered_the_same() throws Exception {
        byte[] session = concat(GREETING, KEY, UPDATE_REQUEST, POINTER, CUT_TEXT, UPDATE_REQUEST);
        byte[] whole = run(new RfbClientFilter(true), session);

        for (int chunk = 1; chunk <= 7; chunk++) {
            var filter = new RfbClientFilter(true);
            var out = new ByteArrayOutputStream();
            for (int at = 0; at < session.length; at += chunk) {
                var piece = filter.filter(
                        ByteBuffer.wrap(Arrays.copyOfRange(session, at, Math.min(at + chunk, session.length))));
                out.write(piece.array(), piece.arrayOffset() + piece.position(), piece.remaining());
            }
            assertThat(out.toByteArray()).as("chunks of " + chunk).isEqualTo(whole);
        }
    }

    @Test
    void a_view_only_client_that_sends_what_the_filter_does_not_know_is_refused() {
        var filter = new RfbClientFilter(true);

        assertThatThrownBy(() -> filter.filter(ByteBuffer.wrap(concat(GREETING, new byte[] {(byte) 200, 0}))))
                .isInstanceOf(RfbClientFilter.RefusedInput.class);
    }

    @Test
    void a_view_only_client_cannot_announce_a_huge_clipboard() {
        var filter = new RfbClientFilter(true);
        byte[] huge = {6, 0, 0, 0, 0x7f, 0, 0, 0};

        assertThatThrownBy(() -> filter.filter(ByteBuffer.wrap(concat(GREETING, huge))))
                .isInstanceOf(RfbClientFilter.RefusedInput.class);
    }

    private static byte[] run(RfbClientFilter filter, byte[] input) throws Exception {
        var out = filter.filter(ByteBuffer.wrap(input));
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
