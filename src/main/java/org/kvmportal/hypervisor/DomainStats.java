package org.kvmportal.hypervisor;

import java.util.Map;

/**
 * One domain's record from a bulk statistics call ({@code virConnectGetAllDomainStats}).
 *
 * @param fields the typed parameters libvirt returned, by name (for example {@code cpu.time},
 *     {@code balloon.current}, {@code block.0.rd.bytes}); numbers are {@link Long} or {@link Double}
 */
public record DomainStats(DomainRef ref, String name, Map<String, Object> fields) {

    /** A numeric field as a long, or {@code fallback} when libvirt did not report it. */
    public long longValue(String field, long fallback) {
        return fields.get(field) instanceof Number number ? number.longValue() : fallback;
    }
}
