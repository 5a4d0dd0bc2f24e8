package org.kvmportal.hypervisor.internal;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A strict reader of binary PPM ({@code P6}) pictures, what older QEMU sends as a screenshot. The header is
 * not trusted: sizes beyond {@link #MAX_SIDE} pixels, odd maximum values and data that does not match the
 * header are refused before any pixel memory is allocated.
 */
final class Ppm {

    /** The largest width or height accepted: beyond any real screen, small enough to decode safely. */
    static final int MAX_SIDE = 8192;

    private Ppm() {}

    static boolean looksLikePpm(byte[] data) {
        return data.length >= 2 && data[0] == 'P' && data[1] == '6';
    }

    /** @throws IllegalArgumentException naming what is wrong with the data */
    static BufferedImage decode(byte[] data) {
        if (!looksLikePpm(data)) {
            throw new IllegalArgumentException("not a binary PPM picture (no P6 signature)");
        }
        var header = new Header(data);
        int width = header.number("width", MAX_SIDE);
        int height = header.number("height", MAX_SIDE);
        int maxValue = header.number("maximum value", 255);
        header.singleWhitespace();
        long expected = 3L * width * height;
        long available = data.length - header.position;
        if (available < expected) {
            throw new IllegalArgumentException(
                    "truncated: " + width + "x" + height + " needs " + expected + " bytes of pixels, got " + available);
        }
        if (available > expected) {
            throw new IllegalArgumentException(
                    (available - expected) + " bytes after the pixels of a " + width + "x" + height + " picture");
        }
        var image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int from = header.position;
        for (int i = 0; i < pixels.length; i += 3, from += 3) {
            // PPM stores red, green, blue; the raster blue, green, red.
            pixels[i] = scaled(data[from + 2], maxValue);
            pixels[i + 1] = scaled(data[from + 1], maxValue);
            pixels[i + 2] = scaled(data[from], maxValue);
        }
        return image;
    }

    private static byte scaled(byte value, int maxValue) {
        int v = value & 0xff;
        if (v > maxValue) {
            throw new IllegalArgumentException("a sample of " + v + " exceeds the maximum value " + maxValue);
        }
        return maxValue == 255 ? value : (byte) ((v * 255 + maxValue / 2) / maxValue);
    }

    /** The text header after the signature: numbers separated by white space and comments. */
    private static final class Header {

        private final byte[] data;
        private int position = 2;

        Header(byte[] data) {
            this.data = data;
        }

        int number(String what, int max) {
            skipWhitespaceAndComments();
            int start = position;
            long value = 0;
            while (position < data.length && isDigit(data[position])) {
                value = value * 10 + (data[position] - '0');
                position++;
                if (value > max) {
                    throw new IllegalArgumentException("the " + what + " is larger than " + max);
                }
            }
            if (position == start) {
                throw new IllegalArgumentException("no " + what + " in the header");
            }
            if (value == 0) {
                throw new IllegalArgumentException("the " + what + " is 0");
            }
            return (int) value;
        }

        /** Exactly one white space character ends the header; the pixels follow. */
        void singleWhitespace() {
            if (position >= data.length || !isWhitespace(data[position])) {
                throw new IllegalArgumentException("the header does not end in white space");
            }
            position++;
        }

        private void skipWhitespaceAndComments() {
            boolean skipped = false;
            while (position < data.length) {
                byte b = data[position];
                if (isWhitespace(b)) {
                    position++;
                    skipped = true;
                } else if (b == '#') {
                    while (position < data.length && data[position] != '\n' && data[position] != '\r') {
                        position++;
                    }
                    skipped = true;
                } else {
                    break;
                }
            }
            if (!skipped) {
                throw new IllegalArgumentException("the header's fields are not separated by white space");
            }
        }

        private static boolean isDigit(byte b) {
            return b >= '0' && b <= '9';
        }

        private static boolean isWhitespace(byte b) {
            return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
        }
    }
}
