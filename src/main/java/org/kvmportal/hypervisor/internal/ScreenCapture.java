package org.kvmportal.hypervisor.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.UUID;
import org.kvmportal.hypervisor.HypervisorException;

/**
 * Reads a picture of a domain's first screen: {@code virDomainScreenshot} on a blocking libvirt stream, read
 * to its end on the host's pool thread. The stream is finished after a complete read, aborted on any failure,
 * and freed in every case; bound with our own JNA calls, like {@link SerialStream}, so that each of those
 * steps happens exactly once whatever fails.
 */
final class ScreenCapture {

    /** Larger than a 5K screen as PPM (5120 x 2880 x 3 bytes); a host sending more is refused. */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    private static final int CHUNK_BYTES = 256 * 1024;
    private static final int FIRST_SCREEN = 0;
    private static final LibvirtNative lib = LibvirtNative.INSTANCE;

    private ScreenCapture() {}

    /**
     * The picture as the host sent it (PNG or PPM). Call on the host's pool thread with the connection held.
     *
     * @param action for messages, completing "Could not ..."
     * @param timeout reading stops with an error once this has passed
     */
    static byte[] capture(PortalConnect connect, UUID uuid, String action, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Pointer domain = lib.virDomainLookupByUUIDString(connect.nativePointer(), uuid.toString());
        if (domain == null) {
            throw LibvirtErrors.translateLast(action);
        }
        try {
            int active = lib.virDomainIsActive(domain);
            if (active < 0) {
                throw LibvirtErrors.translateLast(action);
            }
            if (active == 0) {
                throw new HypervisorException("Could not " + action + ": the virtual machine is not running.");
            }
            Pointer stream = lib.virStreamNew(connect.nativePointer(), 0);
            if (stream == null) {
                throw LibvirtErrors.translateLast(action);
            }
            try {
                return receive(domain, stream, action, deadline, timeout);
            } finally {
                lib.virStreamFree(stream);
            }
        } finally {
            lib.virDomainFree(domain);
        }
    }

    private static byte[] receive(Pointer domain, Pointer stream, String action, long deadline, Duration timeout) {
        Pointer mimeType = lib.virDomainScreenshot(domain, stream, FIRST_SCREEN, 0);
        if (mimeType == null) {
            throw LibvirtErrors.translateLast(action); // the stream never opened: it is only freed
        }
        Native.free(Pointer.nativeValue(mimeType)); // the content tells PNG from PPM
        try {
            var picture = readToEnd(stream, action, deadline, timeout);
            if (lib.virStreamFinish(stream) < 0) {
                throw LibvirtErrors.translateLast(action);
            }
            return picture;
        } catch (RuntimeException | Error e) {
            lib.virStreamAbort(stream); // fails harmlessly on a stream the error already closed
            throw e;
        }
    }

    private static byte[] readToEnd(Pointer stream, String action, long deadline, Duration timeout) {
        var buffer = new Memory(CHUNK_BYTES);
        var picture = new ByteArrayOutputStream(CHUNK_BYTES);
        while (true) {
            int read = lib.virStreamRecv(stream, buffer, CHUNK_BYTES);
            if (read == 0) {
                return picture.toByteArray();
            }
            if (read < 0) {
                throw LibvirtErrors.translateLast(action);
            }
            if (picture.size() + (long) read > MAX_BYTES) {
                throw new HypervisorException("Could not " + action + ": the host sent a picture larger than "
                        + MAX_BYTES / (1024 * 1024) + " MiB.");
            }
            picture.write(buffer.getByteArray(0, read), 0, read);
            if (System.nanoTime() - deadline > 0) {
                throw new HypervisorException("Could not " + action + ": the host did not send the picture within "
                        + timeout.toSeconds() + " s.");
            }
        }
    }
}
