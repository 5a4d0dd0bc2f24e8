package org.kvmportal.hypervisor.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * MAC addresses for a new domain's NICs: QEMU's locally administered prefix 52:54:00 (as libvirt uses) and
 * three bytes derived from the domain's UUID, so that the preview and the creation give the same addresses,
 * skipping any address already used on the host.
 */
final class MacAddresses {

    static final String PREFIX = "52:54:00";

    private MacAddresses() {}

    static List<String> generate(UUID domain, int count, Set<String> used) {
        var result = new ArrayList<String>();
        for (int attempt = 0; result.size() < count; attempt++) {
            String mac = derive(domain, attempt);
            if (!used.contains(mac) && !result.contains(mac)) {
                result.add(mac);
            }
        }
        return result;
    }

    private static String derive(UUID domain, int attempt) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest((domain + "/" + attempt).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        var hex = HexFormat.of();
        return PREFIX + ":" + hex.toHexDigits(digest[0]) + ":" + hex.toHexDigits(digest[1]) + ":"
                + hex.toHexDigits(digest[2]);
    }
}
