package org.kvmportal.provisioning;

import java.util.UUID;
import org.kvmportal.hypervisor.DomainRef;

/**
 * A copy of a stopped VM with a new name, UUID and MACs; its disks copied in full or, when {@code linked},
 * as qcow2 volumes backed by the original's (the original's disks must then never change).
 *
 * @param uuid the clone's UUID, made once per form so that its preview and its creation agree; null makes one
 */
public record CloneRequest(UUID uuid, DomainRef source, String name, String description, boolean linked) {}
