package org.kvmportal.console.relay;

import java.nio.ByteBuffer;

/**
 * Reads what a browser sends to a VNC server (RFB 3.8, RFC 6143) and decides what passes.
 *
 * <p>Every client gets the "shared" flag forced on in its ClientInit, so that a second viewer never
 * disconnects the first (QEMU's default policy drops other clients when one asks for exclusive access). A
 * view-only client's keyboard, pointer, clipboard, desktop-resize and power (XVP) messages are dropped;
 * anything the filter cannot parse ends a view-only connection rather than slipping through. An interactive
 * client is passed through untouched once its ClientInit is done, so the hot path costs nothing.
 */
final class RfbClientFilter {

    /** Thrown when a view-only client sends something the filter will not pass. */
    static final class RefusedInput extends Exception {
        RefusedInput(String message) {
            super(message);
        }
    }

    private static final int VERSION_LENGTH = 12;
    private static final int SECURITY_NONE = 1;
    private static final int SECURITY_VNC_AUTH = 2;
    private static final int VNC_AUTH_RESPONSE_LENGTH = 16;
    /** Longer clipboard texts from a view-only client are refused rather than buffered. */
    private static final int MAX_MESSAGE = 1 << 20;

    private enum Phase {
        VERSION,
        SECURITY_TYPE,
        SECURITY_RESPONSE,
        CLIENT_INIT,
        MESSAGES,
        PASS_THROUGH
    }

    private final boolean viewOnly;
    private Phase phase = Phase.VERSION;
    private int securityResponseLength;
    private ByteBuffer pending = ByteBuffer.allocate(0);

    RfbClientFilter(boolean viewOnly) {
        this.viewOnly = viewOnly;
    }

    /** The bytes of {@code input} to forward to the server, in order; may be {@code input} itself. */
    ByteBuffer filter(ByteBuffer input) throws RefusedInput {
        if (phase == Phase.PASS_THROUGH) {
            return input;
        }
        append(input);
        var out = ByteBuffer.allocate(pending.remaining());
        int length;
        while ((length = nextLength()) > 0 && pending.remaining() >= length) {
            int start = pending.position();
            boolean forward = accept(start);
            if (phase == Phase.PASS_THROUGH) {
                // Everything from here on is passed through: the rest of this chunk too.
                out.put(pending);
                break;
            }
            if (forward) {
                out.put(pending.slice(start, length));
            }
            pending.position(start + length);
        }
        return out.flip();
    }

    /** The length of the message at the head of {@code pending}, or 0 when more bytes are needed to tell. */
    private int nextLength() throws RefusedInput {
        int at = pending.position();
        int available = pending.remaining();
        return switch (phase) {
            case VERSION -> VERSION_LENGTH;
            case SECURITY_TYPE, CLIENT_INIT -> 1;
            case SECURITY_RESPONSE -> Math.max(securityResponseLength, 0);
            case PASS_THROUGH -> available;
            case MESSAGES -> available == 0 ? 0 : messageLength(at, available);
        };
    }

    private int messageLength(int at, int available) throws RefusedInput {
        int type = pending.get(at) & 0xff;
        return switch (type) {
            case 0 -> 20; // SetPixelFormat
            case 2 -> available < 4 ? 0 : 4 + 4 * (pending.getShort(at + 2) & 0xffff); // SetEncodings
            case 3 -> 10; // FramebufferUpdateRequest
            case 4 -> 8; // KeyEvent
            case 5 -> 6; // PointerEvent
            case 6 -> available < 8 ? 0 : checked(8 + Math.abs(pending.getInt(at + 4))); // ClientCutText
            case 150 -> 10; // EnableContinuousUpdates
            case 248 -> available < 9 ? 0 : 9 + (pending.get(at + 8) & 0xff); // ClientFence
            case 250 -> 4; // XVP (power actions)
            case 251 -> available < 8 ? 0 : 8 + 16 * (pending.get(at + 6) & 0xff); // SetDesktopSize
            case 255 -> available < 4 ? 0 : qemuMessageLength(at); // QEMU extensions
            default -> throw new RefusedInput("unknown client message type " + type);
        };
    }

    private int qemuMessageLength(int at) throws RefusedInput {
        int subtype = pending.get(at + 1) & 0xff;
        if (subtype == 0) {
            return 12; // extended key event
        }
        if (subtype == 1) {
            return (pending.getShort(at + 2) & 0xffff) == 2 ? 10 : 4; // audio: set format, or enable/disable
        }
        throw new RefusedInput("unknown QEMU client message " + subtype);
    }

    private static int checked(int length) throws RefusedInput {
        if (length < 0 || length > MAX_MESSAGE) {
            throw new RefusedInput("client message too long");
        }
        return length;
    }

    /** Consumes the complete message at {@code start}, advancing the phase; true if it goes to the server. */
    private boolean accept(int start) throws RefusedInput {
        switch (phase) {
            case VERSION -> {
                String version = new String(bytes(start, VERSION_LENGTH), java.nio.charset.StandardCharsets.US_ASCII);
                if (!version.startsWith("RFB 003.00") || version.compareTo("RFB 003.007\n") < 0) {
                    return refuseOrPass("RFB version " + version.strip() + " is not supported");
                }
                phase = Phase.SECURITY_TYPE;
            }
            case SECURITY_TYPE -> {
                int type = pending.get(start) & 0xff;
                if (type == SECURITY_NONE) {
                    phase = Phase.CLIENT_INIT;
                } else if (type == SECURITY_VNC_AUTH) {
                    securityResponseLength = VNC_AUTH_RESPONSE_LENGTH;
                    phase = Phase.SECURITY_RESPONSE;
                } else {
                    return refuseOrPass("security type " + type + " is not supported");
                }
            }
            case SECURITY_RESPONSE -> phase = Phase.CLIENT_INIT;
            case CLIENT_INIT -> {
                pending.put(start, (byte) 1); // shared: never disconnect the other viewers
                phase = viewOnly ? Phase.MESSAGES : Phase.PASS_THROUGH;
                if (!viewOnly) {
                    pending.position(start);
                }
            }
            case MESSAGES -> {
                return isHarmless(start);
            }
            case PASS_THROUGH -> {
                return true;
            }
        }
        return true;
    }

    /** Messages that only shape what the viewer receives; input, clipboard, resize and power are not. */
    private boolean isHarmless(int start) {
        int type = pending.get(start) & 0xff;
        return switch (type) {
            case 0, 2, 3, 150, 248 -> true;
            case 255 -> (pending.get(start + 1) & 0xff) == 1; // audio yes, keys no
            default -> false;
        };
    }

    /** A view-only client must be understood to be filtered; an interactive one may speak what it likes. */
    private boolean refuseOrPass(String why) throws RefusedInput {
        if (viewOnly) {
            throw new RefusedInput(why);
        }
        phase = Phase.PASS_THROUGH;
        return true;
    }

    private byte[] bytes(int start, int length) {
        byte[] copy = new byte[length];
        pending.get(start, copy);
        return copy;
    }

    private void append(ByteBuffer input) throws RefusedInput {
        if (pending.remaining() + input.remaining() > MAX_MESSAGE + 64) {
            throw new RefusedInput("client message too long");
        }
        var joined = ByteBuffer.allocate(pending.remaining() + input.remaining());
        joined.put(pending).put(input).flip();
        pending = joined;
    }
}
