package org.kvmportal.hypervisor;

/**
 * What a host says about itself.
 *
 * @param hypervisor e.g. "QEMU 7.2.0"
 * @param libvirt libvirt's version on the host, e.g. "9.0.0"
 * @param freeMemoryKiB -1 when the host cannot tell
 */
public record HostFacts(
        String hostname, String hypervisor, String libvirt, int cpus, long memoryKiB, long freeMemoryKiB) {}
