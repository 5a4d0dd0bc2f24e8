package org.kvmportal.hypervisor;

import java.util.function.Consumer;

/**
 * Moves VMs between configured hosts. A live migration runs for seconds to many minutes: it runs on its own
 * thread and its own connections to both hosts, so the hosts' other calls go on meanwhile. Like
 * {@link Hypervisor}, no authorization here: the calling service checks rights and input first.
 */
public interface DomainMigrator {

    /**
     * Starts moving {@code ref} to {@code targetHost} and returns at once. {@code progress} hears about once a
     * second from a background thread while a live migration copies memory (an offline move has none).
     */
    Migration migrate(DomainRef ref, String targetHost, MigrationOptions options, Consumer<MigrationProgress> progress);
}
