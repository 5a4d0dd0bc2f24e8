package org.kvmportal.hypervisor;

/** Connection state of one configured hypervisor host. */
public enum HostState {
    /** First connection attempt in flight. */
    CONNECTING,
    CONNECTED,
    /** The connection was lost; attempts to reconnect are running with backoff. */
    RECONNECTING,
    /** The host cannot be reached; attempts continue with backoff. */
    DOWN
}
