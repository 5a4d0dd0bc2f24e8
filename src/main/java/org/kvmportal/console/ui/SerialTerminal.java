package org.kvmportal.console.ui;

import com.vaadin.flow.component.Tag;

/** {@code <kp-serial-console>}: the VM's serial console in xterm.js (static script {@code console/kp-serial.js}). */
@Tag("kp-serial-console")
final class SerialTerminal extends BrowserConsole {

    SerialTerminal() {
        super("console/kp-serial.js", "console/ws/serial");
        setId("serial-console");
    }
}
