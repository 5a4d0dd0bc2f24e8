package org.kvmportal.hypervisor;

/**
 * A picture of a running domain's screen, small enough for a thumbnail.
 *
 * @param png the picture as a PNG file; shared, not copied: do not change it
 * @param width its width in pixels, at most {@link #MAX_WIDTH}
 * @param height its height in pixels, at most {@link #MAX_HEIGHT}
 */
public record Screenshot(byte[] png, int width, int height) {

    public static final int MAX_WIDTH = 320;
    public static final int MAX_HEIGHT = 240;
}
