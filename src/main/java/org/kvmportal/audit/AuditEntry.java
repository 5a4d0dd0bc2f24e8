package org.kvmportal.audit;

import java.time.Instant;

/** One audit record as shown to people. */
public record AuditEntry(
        Instant time, String username, String action, String target, String result, String detail, String client) {}
