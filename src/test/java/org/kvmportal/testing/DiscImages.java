package org.kvmportal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Real disc images made by Debian's {@code genisoimage} (which {@code scripts/test.sh} installs), the way an
 * admin's installer ISO is made: a file of random bytes inside, so the image is as large as a test needs.
 */
public final class DiscImages {

    private DiscImages() {}

    /** An ISO 9660 image holding one file of {@code payloadBytes} random bytes. */
    public static byte[] iso9660(int payloadBytes) {
        return make(payloadBytes, List.of());
    }

    /** A UDF image (with its ISO 9660 bridge, as {@code genisoimage -udf} makes them). */
    public static byte[] udf(int payloadBytes) {
        return make(payloadBytes, List.of("-udf"));
    }

    private static byte[] make(int payloadBytes, List<String> options) {
        Path work = null;
        try {
            work = Files.createTempDirectory("kp-disc");
            Path content = Files.createDirectory(work.resolve("content"));
            byte[] payload = new byte[payloadBytes];
            new Random(payloadBytes).nextBytes(payload);
            Files.write(content.resolve("payload.bin"), payload);
            Path image = work.resolve("disc.iso");
            var command = new ArrayList<>(List.of("genisoimage", "-quiet", "-V", "KP_TEST", "-o", image.toString()));
            command.addAll(options);
            command.add(content.toString());
            Virsh.run(command);
            return Files.readAllBytes(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
