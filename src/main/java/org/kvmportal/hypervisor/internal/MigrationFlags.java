package org.kvmportal.hypervisor.internal;

import org.kvmportal.hypervisor.MigrationMode;
import org.kvmportal.hypervisor.MigrationOptions;

/** The {@code virDomainMigrateFlags} a migration runs with; values from libvirt's libvirt-domain.h. */
final class MigrationFlags {

    static final long LIVE = 1;
    static final long PERSIST_DEST = 1 << 3;
    static final long UNDEFINE_SOURCE = 1 << 4;
    static final long NON_SHARED_DISK = 1 << 6;
    static final long UNSAFE = 1 << 9;
    static final long OFFLINE = 1 << 10;
    static final long ABORT_ON_ERROR = 1 << 12;

    private MigrationFlags() {}

    /**
     * The VM ends up defined on the target and no longer on the source, whatever the mode. A live move gives
     * up at the first disk error ({@code ABORT_ON_ERROR}) rather than carry a half-written disk over.
     *
     * @param assumeSharedStorage the operator says the hosts see the same disk files even where libvirt cannot
     *     tell (a local file system on each, as for two daemons on one machine): libvirt's refusal "migration
     *     without shared storage is unsafe" is overridden ({@code UNSAFE}). Never with copied storage.
     */
    static long of(MigrationOptions options, boolean assumeSharedStorage) {
        long flags = PERSIST_DEST | UNDEFINE_SOURCE;
        if (options.mode() == MigrationMode.OFFLINE) {
            return flags | OFFLINE;
        }
        flags |= LIVE | ABORT_ON_ERROR;
        if (options.copyStorage()) {
            return flags | NON_SHARED_DISK;
        }
        return assumeSharedStorage ? flags | UNSAFE : flags;
    }
}
