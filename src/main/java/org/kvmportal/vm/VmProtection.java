package org.kvmportal.vm;

import java.util.Optional;
import org.kvmportal.hypervisor.DomainRef;

/**
 * Something another feature knows that forbids a VM to run or to go back to a snapshot: a template's disk is
 * the base of the linked clones made from it, and any write to it would change theirs. {@link VmService} and
 * {@link VmSnapshots} ask every protection before they start, revert or restore a VM.
 */
public interface VmProtection {

    /** Why this VM's disks must stay exactly as they are, in words for the person who asked; empty if free. */
    Optional<String> reason(DomainRef vm, String vmName);
}
