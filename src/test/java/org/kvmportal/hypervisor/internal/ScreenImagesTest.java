package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Decoding what hosts send (PPM, PNG), refusing what they should not send, and scaling to a thumbnail. */
class ScreenImagesTest {

    @Test
    void a_ppm_picture_is_decoded_pixel_for_pixel() {
        // 2x1: one red pixel, one pixel of (10, 20, 30); a comment in the header, as some writers add.
        byte[] ppm = ppm("P6\n# made by hand\n2 1\n255\n", 255, 0, 0, 10, 20, 30);

        var image = Ppm.decode(ppm);

        assertThat(image.getWidth()).isEqualTo(2);
        assertThat(image.getHeight()).isEqualTo(1);
        assertThat(new Color(image.getRGB(0, 0))).isEqualTo(new Color(255, 0, 0));
        assertThat(new Color(image.getRGB(1, 0))).isEqualTo(new Color(10, 20, 30));
    }

    @Test
    void a_ppm_with_a_smaller_maximum_value_is_stretched_to_full_range() {
        var image = Ppm.decode(ppm("P6 1 1 15\n", 15, 0, 5));

        assertThat(new Color(image.getRGB(0, 0))).isEqualTo(new Color(255, 0, 85));
    }

    @Test
    void a_truncated_ppm_is_refused() {
        byte[] whole = ppm("P6\n2 2\n255\n", new int[12]);
        byte[] truncated = Arrays.copyOf(whole, whole.length - 1);

        assertThatThrownBy(() -> Ppm.decode(truncated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Ppm.decode(bytes("P6\n2 2\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no maximum value");
        assertThatThrownBy(() -> Ppm.decode(bytes("P6\n2 2\n255")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not end in white space");
    }

    @Test
    void absurd_sizes_are_refused_before_any_pixel_memory_is_allocated() {
        assertThatThrownBy(() -> Ppm.decode(bytes("P6\n8193 10\n255\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width is larger than 8192");
        assertThatThrownBy(() -> Ppm.decode(bytes("P6\n10 99999999999999999999\n255\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("height is larger than 8192");
        assertThatThrownBy(() -> Ppm.decode(bytes("P6\n0 10\n255\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width is 0");
        assertThatThrownBy(() -> Ppm.decode(bytes("P6\n1 1\n65535\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum value is larger than 255");
        // The largest allowed size, but with no pixels: refused by length, not by running out of memory.
        assertThatThrownBy(() -> Ppm.decode(bytes("P6\n8192 8192\n255\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void other_formats_and_trailing_garbage_are_refused() {
        assertThatThrownBy(() -> ScreenImages.decode(bytes("P3\n1 1\n255\n0 0 0\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither PNG nor binary PPM");
        byte[] longer = Arrays.copyOf(ppm("P6 1 1 255\n", 1, 2, 3), 20);
        assertThatThrownBy(() -> Ppm.decode(longer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytes after the pixels");
        assertThatThrownBy(() -> Ppm.decode(ppm("P6 1 1 200\n", 201, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the maximum value");
    }

    @Test
    void a_png_claiming_a_huge_size_is_refused_from_its_header() throws Exception {
        byte[] png = ScreenImages.png(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB));
        // IHDR's width is the 4 bytes at offset 16; the chunk's CRC no longer matches, so the size check must
        // come first for this to say "pixels".
        png[16] = 0;
        png[17] = 1;
        png[18] = 0;
        png[19] = 0;

        assertThatThrownBy(() -> ScreenImages.decode(png))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536x4");
    }

    @Test
    void a_screen_is_scaled_to_fit_320_by_240_keeping_its_aspect_ratio() throws Exception {
        assertThat(size(ScreenImages.thumbnail(png(720, 400)))).isEqualTo("320x178");
        assertThat(size(ScreenImages.thumbnail(png(1024, 768)))).isEqualTo("320x240");
        assertThat(size(ScreenImages.thumbnail(png(640, 960)))).isEqualTo("160x240");
        assertThat(size(ScreenImages.thumbnail(png(3840, 16)))).isEqualTo("320x1");
        assertThat(size(ScreenImages.thumbnail(png(200, 100))))
                .as("never enlarged")
                .isEqualTo("200x100");
    }

    @Test
    void scaling_averages_instead_of_dropping_pixels() {
        // One-pixel black and white stripes: a picture that skips pixels turns all black or all white.
        var stripes = new BufferedImage(1280, 960, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < stripes.getWidth(); x += 2) {
            for (int y = 0; y < stripes.getHeight(); y++) {
                stripes.setRGB(x, y, 0xffffff);
            }
        }

        var scaled = ScreenImages.scaleToFit(stripes, 320, 240);

        int gray = new Color(scaled.getRGB(160, 120)).getRed();
        assertThat(gray).isBetween(96, 160);
    }

    @Test
    void the_thumbnail_is_a_png_with_the_size_it_reports() throws Exception {
        var screenshot = ScreenImages.thumbnail(ppmOfSize(800, 600));

        var decoded = ImageIO.read(new ByteArrayInputStream(screenshot.png()));
        assertThat(decoded.getWidth()).isEqualTo(screenshot.width()).isEqualTo(320);
        assertThat(decoded.getHeight()).isEqualTo(screenshot.height()).isEqualTo(240);
        assertThat(new Color(decoded.getRGB(100, 100))).isEqualTo(new Color(0, 128, 255));
    }

    private static String size(org.kvmportal.hypervisor.Screenshot screenshot) {
        return screenshot.width() + "x" + screenshot.height();
    }

    private static byte[] png(int width, int height) {
        return ScreenImages.png(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB));
    }

    private static byte[] ppmOfSize(int width, int height) {
        int[] samples = new int[width * height * 3];
        for (int i = 0; i < samples.length; i += 3) {
            samples[i + 1] = 128;
            samples[i + 2] = 255;
        }
        return ppm("P6\n" + width + " " + height + "\n255\n", samples);
    }

    private static byte[] ppm(String header, int... samples) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(bytes(header));
        for (int sample : samples) {
            out.write(sample);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
