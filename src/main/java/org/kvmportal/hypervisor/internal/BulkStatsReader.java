package org.kvmportal.hypervisor.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainStats;
import org.kvmportal.hypervisor.HypervisorException;

/**
 * Reads {@code virConnectGetAllDomainStats}: the statistics of every domain on a host in one round trip,
 * instead of several calls per domain.
 *
 * <p>The C structs are read by offset rather than through JNA {@code Structure} mapping, which is both
 * faster and simpler for these flat, fixed layouts (x86-64 and other LP64 targets):
 *
 * <pre>
 * virDomainStatsRecord { virDomainPtr dom; virTypedParameterPtr params; int nparams; }
 * virTypedParameter    { char field[80]; int type; union value (8 bytes, 8-aligned); }  = 96 bytes
 * </pre>
 */
final class BulkStatsReader {

    private static final int PARAM_TYPE_OFFSET = 80;
    private static final int PARAM_VALUE_OFFSET = 88;
    private static final int PARAM_SIZE = 96;

    private static final int TYPE_INT = 1;
    private static final int TYPE_UINT = 2;
    private static final int TYPE_LLONG = 3;
    private static final int TYPE_ULLONG = 4;
    private static final int TYPE_DOUBLE = 5;
    private static final int TYPE_BOOLEAN = 6;
    private static final int TYPE_STRING = 7;

    /** Zero asks for every statistics group the driver supports. */
    private static final int ALL_GROUPS = 0;

    /** libvirt's {@code VIR_DOMAIN_STATS_STATE}, {@code _BALLOON} and {@code _VCPU} groups. */
    static final int STATE_GROUP = 1;

    static final int BALLOON_GROUP = 1 << 2;
    static final int VCPU_GROUP = 1 << 3;

    /**
     * One domain's record and its hypervisor id (-1 while inactive); the id tells one run of a domain from
     * the next. Both come from the record's domain object, without a round trip.
     */
    record Record(DomainStats stats, int id) {}

    private BulkStatsReader() {}

    /** Every statistics group the driver supports, for every domain. */
    static List<DomainStats> read(String host, PortalConnect connect) {
        return read(host, connect, ALL_GROUPS).stream().map(Record::stats).toList();
    }

    /**
     * @param groups the {@code VIR_DOMAIN_STATS_*} groups to ask for; a driver that lacks some simply leaves
     *     their fields out (libvirt's test driver, for one, reports only the state group)
     */
    static List<Record> read(String host, PortalConnect connect, int groups) {
        var lib = LibvirtNative.INSTANCE;
        var records = new PointerByReference();
        int count = lib.virConnectGetAllDomainStats(connect.nativePointer(), groups, records, 0);
        if (count < 0) {
            throw new HypervisorException(
                    "Could not read statistics from host " + host + ": " + lib.virGetLastErrorMessage() + ".");
        }
        Pointer array = records.getValue();
        try {
            var result = new ArrayList<Record>(count);
            for (int i = 0; i < count; i++) {
                result.add(readRecord(host, array.getPointer((long) i * Native.POINTER_SIZE)));
            }
            return result;
        } finally {
            if (array != null) {
                lib.virDomainStatsRecordListFree(array);
            }
        }
    }

    private static Record readRecord(String host, Pointer record) {
        var lib = LibvirtNative.INSTANCE;
        Pointer domain = record.getPointer(0);
        Pointer params = record.getPointer(Native.POINTER_SIZE);
        int paramCount = record.getInt(2L * Native.POINTER_SIZE);
        byte[] uuid = new byte[37];
        lib.virDomainGetUUIDString(domain, uuid);
        var ref = new DomainRef(host, UUID.fromString(new String(uuid, 0, 36, StandardCharsets.US_ASCII)));
        Map<String, Object> fields = new LinkedHashMap<>(paramCount * 2);
        for (int i = 0; i < paramCount; i++) {
            Pointer param = params.share((long) i * PARAM_SIZE);
            fields.put(param.getString(0, StandardCharsets.US_ASCII.name()), value(param));
        }
        return new Record(
                new DomainStats(ref, lib.virDomainGetName(domain), Map.copyOf(fields)), lib.virDomainGetID(domain));
    }

    private static Object value(Pointer param) {
        int type = param.getInt(PARAM_TYPE_OFFSET);
        return switch (type) {
            case TYPE_INT -> (long) param.getInt(PARAM_VALUE_OFFSET);
            case TYPE_UINT -> Integer.toUnsignedLong(param.getInt(PARAM_VALUE_OFFSET));
            // Counters fit in a signed long for any real guest (2^63 ns is 292 years of CPU time).
            case TYPE_LLONG, TYPE_ULLONG -> param.getLong(PARAM_VALUE_OFFSET);
            case TYPE_DOUBLE -> param.getDouble(PARAM_VALUE_OFFSET);
            case TYPE_BOOLEAN -> param.getByte(PARAM_VALUE_OFFSET) != 0;
            case TYPE_STRING -> param.getPointer(PARAM_VALUE_OFFSET).getString(0, "UTF-8");
            default -> "unsupported parameter type " + type;
        };
    }
}
