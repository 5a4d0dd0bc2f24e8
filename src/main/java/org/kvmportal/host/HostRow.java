package org.kvmportal.host;

import org.kvmportal.hypervisor.HostStatus;

/**
 * A host as the hosts page lists it.
 *
 * @param editable false for hosts from the configuration file, which only that file can change
 */
public record HostRow(HostStatus status, boolean editable, long vmsRunning, long vmsDefined) {}
