package org.kvmportal.console;

import org.kvmportal.base.AccessRefusal;

/** A console refused because the person may not watch or use it (or may not see its VM). */
public class ConsoleAccessRefusedException extends ConsoleRefusedException implements AccessRefusal {

    public ConsoleAccessRefusedException(String message) {
        super(message);
    }
}
