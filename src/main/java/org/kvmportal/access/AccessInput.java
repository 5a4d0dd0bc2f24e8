package org.kvmportal.access;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Cleans and checks what admins type for users and groups; each refusal names its field. */
final class AccessInput {

    static final int MAX_NAME = 64;
    static final int MAX_DISPLAY_NAME = 128;
    static final int MAX_EMAIL = 254;
    static final int MAX_DESCRIPTION = 256;
    static final int MIN_PASSWORD_LENGTH = 12;
    /** BCrypt's limit: it hashes only the first 72 bytes of a password. */
    static final int MAX_PASSWORD_BYTES = 72;

    /** Lower case only, so that names cannot differ by case alone and stay safe in URLs and logs. */
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{1," + MAX_NAME + "}");

    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._ -]{1," + MAX_NAME + "}");
    /** Deliberately loose: one @, something on both sides, a dot in the domain, no spaces. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    private AccessInput() {}

    static String username(String value) {
        String clean = value == null ? "" : value.strip();
        if (clean.isEmpty()) {
            throw new AccessInputException("username", "Enter a user name.");
        }
        if (clean.length() > MAX_NAME) {
            throw new AccessInputException("username", "A user name has at most " + MAX_NAME + " characters.");
        }
        if (!USERNAME.matcher(clean).matches()) {
            throw new AccessInputException(
                    "username", "A user name may hold only a-z, 0-9, dot, underscore and hyphen (lower case).");
        }
        return clean;
    }

    static String displayName(String value) {
        String clean = value == null ? "" : value.strip();
        if (clean.isEmpty()) {
            throw new AccessInputException("displayName", "Enter a display name.");
        }
        if (clean.length() > MAX_DISPLAY_NAME) {
            throw new AccessInputException(
                    "displayName", "A display name has at most " + MAX_DISPLAY_NAME + " characters.");
        }
        if (clean.chars().anyMatch(Character::isISOControl)) {
            throw new AccessInputException("displayName", "A display name cannot hold control characters.");
        }
        return clean;
    }

    /** Optional: blank means none. */
    static String email(String value) {
        String clean = value == null ? "" : value.strip();
        if (clean.isEmpty()) {
            return null;
        }
        if (clean.length() > MAX_EMAIL || !EMAIL.matcher(clean).matches()) {
            throw new AccessInputException("email", "Enter an e-mail address like name@example.org, or nothing.");
        }
        return clean;
    }

    static Set<Role> roles(Set<Role> value) {
        if (value == null || value.isEmpty()) {
            throw new AccessInputException("roles", "Choose at least one role.");
        }
        return EnumSet.copyOf(value);
    }

    /** Group roles may be empty: a group can exist for VM grants and quotas alone. */
    static Set<Role> groupRoles(Set<Role> value) {
        return value == null || value.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(value);
    }

    /**
     * At least {@value #MIN_PASSWORD_LENGTH} characters and at most {@value #MAX_PASSWORD_BYTES} bytes in UTF-8:
     * BCrypt reads no further and Spring's encoder refuses a longer one, so that limit is the rule here, where
     * the form shows it at the field, rather than a failure deep in the encoder.
     */
    static String password(String field, String value) {
        if (value == null || value.length() < MIN_PASSWORD_LENGTH) {
            throw new AccessInputException(
                    field, "A password must have at least " + MIN_PASSWORD_LENGTH + " characters.");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new AccessInputException(
                    field,
                    "A password can have at most " + MAX_PASSWORD_BYTES + " bytes: " + MAX_PASSWORD_BYTES
                            + " letters, digits or signs of an English keyboard, fewer with accents or other"
                            + " scripts (which take 2 to 4 bytes each).");
        }
        return value;
    }

    static Quotas quotas(Quotas value) {
        if (value == null) {
            return Quotas.NONE;
        }
        nonNegative("quotaVms", value.vms());
        nonNegative("quotaVcpus", value.vcpus());
        nonNegative("quotaMemoryMib", value.memoryMib());
        return value;
    }

    static String groupName(String value) {
        String clean = value == null ? "" : value.strip();
        if (clean.isEmpty()) {
            throw new AccessInputException("name", "Enter a group name.");
        }
        if (clean.length() > MAX_NAME) {
            throw new AccessInputException("name", "A group name has at most " + MAX_NAME + " characters.");
        }
        if (!GROUP_NAME.matcher(clean).matches()) {
            throw new AccessInputException(
                    "name", "A group name may hold only letters, digits, spaces, dot, underscore and hyphen.");
        }
        return clean;
    }

    static String description(String value) {
        String clean = value == null ? "" : value.strip();
        if (clean.length() > MAX_DESCRIPTION) {
            throw new AccessInputException(
                    "description", "A description has at most " + MAX_DESCRIPTION + " characters.");
        }
        return clean.isEmpty() ? null : clean;
    }

    private static void nonNegative(String field, Number value) {
        if (value != null && value.longValue() < 0) {
            throw new AccessInputException(field, "A quota cannot be negative; leave it empty for no limit.");
        }
    }
}
