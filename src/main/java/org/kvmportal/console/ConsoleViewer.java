package org.kvmportal.console;

import java.time.Instant;

/** Someone with a console of a VM open, as the other people on that VM see them. */
public record ConsoleViewer(String username, ConsoleKind kind, boolean interactive, Instant since) {}
