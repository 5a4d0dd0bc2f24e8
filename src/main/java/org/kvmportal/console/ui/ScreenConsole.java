package org.kvmportal.console.ui;

import com.vaadin.flow.component.Tag;
import java.util.List;

/** {@code <kp-screen-console>}: the VM's screen through noVNC (static script {@code console/kp-screen.js}). */
@Tag("kp-screen-console")
final class ScreenConsole extends BrowserConsole {

    ScreenConsole() {
        super("console/kp-screen.js", "console/ws/screen");
        setId("screen-console");
    }

    void sendCombo(List<String> keysyms) {
        call("sendCombo", String.join(" ", keysyms));
    }

    void typeText(String text) {
        call("typeText", text);
    }

    void setScaling(String mode) {
        call("setScaling", mode);
    }

    void fullscreen() {
        call("fullscreen");
    }

    void screenshot(String fileName) {
        call("screenshot", fileName);
    }
}
