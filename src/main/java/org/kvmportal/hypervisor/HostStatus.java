package org.kvmportal.hypervisor;

import java.time.Instant;

/**
 * A configured host and how its connection stands.
 *
 * @param reason why the host is not connected, in words a person understands; empty when connected
 * @param since when the host entered this state
 * @param simulated true for libvirt's built-in {@code test:///} driver, which runs no real guests
 */
public record HostStatus(String name, String uri, HostState state, String reason, Instant since, boolean simulated) {}
