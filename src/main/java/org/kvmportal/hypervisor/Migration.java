package org.kvmportal.hypervisor;

import java.util.concurrent.CompletableFuture;

/** A migration under way; see {@link DomainMigrator}. */
public interface Migration {

    /**
     * Completes with the VM's reference on the target host once it is there (and in the target's inventory);
     * fails with {@link MigrationCancelledException} when cancelled or timed out (the VM stays on the source),
     * or with {@link HypervisorException} otherwise.
     */
    CompletableFuture<DomainRef> result();

    /**
     * Asks the source host to abort the migration; returns at once, {@link #result()} tells the outcome. Too
     * late (the VM has switched over already) the migration simply completes.
     */
    void cancel();
}
