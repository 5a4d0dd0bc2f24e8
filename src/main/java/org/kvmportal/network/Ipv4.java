package org.kvmportal.network;

import java.util.regex.Pattern;

/** An IPv4 address as an unsigned 32-bit number, parsed strictly (four decimal parts, 0 to 255). */
record Ipv4(long value) {

    private static final Pattern DOTTED = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** Null when {@code text} is not a dotted IPv4 address. */
    static Ipv4 parse(String text) {
        var matcher = DOTTED.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            return null;
        }
        long value = 0;
        for (int i = 1; i <= 4; i++) {
            int part = Integer.parseInt(matcher.group(i));
            if (part > 255 || (matcher.group(i).length() > 1 && matcher.group(i).startsWith("0"))) {
                return null;
            }
            value = value << 8 | part;
        }
        return new Ipv4(value);
    }

    static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    Ipv4 network(int prefix) {
        return new Ipv4(value & mask(prefix));
    }

    Ipv4 broadcast(int prefix) {
        return new Ipv4(network(prefix).value | (~mask(prefix) & 0xFFFFFFFFL));
    }

    boolean within(Ipv4 network, int prefix) {
        return (value & mask(prefix)) == network.value;
    }

    /** 10/8, 172.16/12 or 192.168/16: the ranges meant for networks like these (RFC 1918). */
    boolean isPrivate() {
        return within(parse("10.0.0.0"), 8) || within(parse("172.16.0.0"), 12) || within(parse("192.168.0.0"), 16);
    }

    @Override
    public String toString() {
        return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }
}
