package org.kvmportal.hypervisor.internal;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.kvmportal.hypervisor.Screenshot;

/**
 * Turns the picture a host sends (PNG, or PPM from older QEMU) into a thumbnail: decoded with size limits,
 * scaled down to fit with its aspect ratio kept, and encoded as PNG. Pure Java, no libvirt.
 */
final class ScreenImages {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ScreenImages() {}

    /** @throws IllegalArgumentException when the picture cannot be read or is absurdly large */
    static Screenshot thumbnail(byte[] picture) {
        var scaled = scaleToFit(decode(picture), Screenshot.MAX_WIDTH, Screenshot.MAX_HEIGHT);
        return new Screenshot(png(scaled), scaled.getWidth(), scaled.getHeight());
    }

    static BufferedImage decode(byte[] picture) {
        if (Ppm.looksLikePpm(picture)) {
            return Ppm.decode(picture);
        }
        if (isPng(picture)) {
            return decodePng(picture);
        }
        throw new IllegalArgumentException("neither PNG nor binary PPM");
    }

    private static boolean isPng(byte[] data) {
        if (data.length < PNG_SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (data[i] != PNG_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads the size from the header first, so that a small file claiming a huge picture is refused cheaply. */
    private static BufferedImage decodePng(byte[] data) {
        try (var input = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            var readers = ImageIO.getImageReadersByFormatName("png");
            if (!readers.hasNext()) {
                throw new IllegalStateException("this Java runtime cannot read PNG");
            }
            var reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width < 1 || height < 1 || width > Ppm.MAX_SIDE || height > Ppm.MAX_SIDE) {
                    throw new IllegalArgumentException("a PNG picture of " + width + "x" + height + " pixels");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("an unreadable PNG picture (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Scales {@code image} down to fit within {@code maxWidth} x {@code maxHeight}, aspect ratio kept, never up.
     * Halves the size in bilinear steps before the last one, which keeps text and thin lines readable where a
     * single bilinear step would drop most pixels.
     */
    static BufferedImage scaleToFit(BufferedImage image, int maxWidth, int maxHeight) {
        int width = image.getWidth();
        int height = image.getHeight();
        double scale = Math.min(1.0, Math.min((double) maxWidth / width, (double) maxHeight / height));
        int targetWidth = Math.max(1, (int) Math.round(width * scale));
        int targetHeight = Math.max(1, (int) Math.round(height * scale));
        var current = image;
        do {
            width = width > targetWidth ? Math.max(width / 2, targetWidth) : targetWidth;
            height = height > targetHeight ? Math.max(height / 2, targetHeight) : targetHeight;
            current = draw(current, width, height);
        } while (width != targetWidth || height != targetHeight);
        return current;
    }

    private static BufferedImage draw(BufferedImage source, int width, int height) {
        var target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var graphics = target.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(source, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return target;
    }

    static byte[] png(BufferedImage image) {
        var out = new ByteArrayOutputStream(32 * 1024);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("this Java runtime cannot write PNG");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
