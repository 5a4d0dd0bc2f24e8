package org.kvmportal.host;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks what an admin typed for a host before any connection is tried. */
final class HostInput {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Set<String> SCHEMES =
            Set.of("qemu", "qemu+ssh", "qemu+libssh", "qemu+libssh2", "qemu+tls", "qemu+tcp", "qemu+unix", "test");
    private static final int MAX_URI_LENGTH = 512;

    private HostInput() {}

    static String name(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (!NAME.matcher(name).matches()) {
            throw new HostInputException(
                    "name",
                    "A host name has 1 to 63 letters, digits, dots, dashes or underscores, and starts"
                            + " with a letter or digit.");
        }
        return name;
    }

    static String uri(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty()) {
            throw new HostInputException("uri", "Enter the libvirt URI, e.g. qemu+ssh://root@lab-1/system.");
        }
        if (text.length() > MAX_URI_LENGTH || text.chars().anyMatch(c -> c <= ' ')) {
            throw new HostInputException("uri", "A libvirt URI has no spaces and at most 512 characters.");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new HostInputException("uri", "This is not a valid URI: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new HostInputException(
                    "uri", "Use a QEMU/KVM URI (qemu://, qemu+ssh://, qemu+tls://, qemu+tcp://) or test:/// .");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (scheme.startsWith("qemu") && !path.equals("/system") && !path.equals("/session")) {
            throw new HostInputException(
                    "uri", "A QEMU URI ends in /system (or /session), e.g. qemu+ssh://lab-1/system.");
        }
        if (scheme.equals("test") && !path.startsWith("/")) {
            throw new HostInputException(
                    "uri", "A test URI names an absolute path: test:///default or test:///path/host.xml.");
        }
        return text;
    }
}
