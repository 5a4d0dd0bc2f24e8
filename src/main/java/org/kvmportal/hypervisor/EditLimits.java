package org.kvmportal.hypervisor;

/**
 * What a host allows a domain: checked before an edit reaches libvirt.
 *
 * @param maxVcpus the most vCPUs the host's hypervisor gives a domain of this type and machine (libvirt's
 *     domain capabilities, else {@code virConnectGetMaxVcpus})
 * @param hostMemoryKiB the host's physical memory
 * @param freeMemoryKiB the host's free memory now, -1 when it cannot tell
 */
public record EditLimits(int maxVcpus, long hostMemoryKiB, long freeMemoryKiB) {}
