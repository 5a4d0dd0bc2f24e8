package org.kvmportal.hypervisor;

import java.util.List;

/**
 * What deleting a domain did to its disks.
 *
 * @param removed the paths of the disks deleted with it
 * @param kept the disks left in place, with why (not asked, protected, or deleting failed)
 */
public record DomainRemovalOutcome(String domain, List<String> removed, List<DomainDisk> kept) {

    public DomainRemovalOutcome {
        removed = List.copyOf(removed);
        kept = List.copyOf(kept);
    }
}
