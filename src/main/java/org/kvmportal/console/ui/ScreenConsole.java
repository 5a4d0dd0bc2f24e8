package org.kvmportal.console.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.shared.Registration;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The server side of {@code <kp-screen-console>} (static script {@code console/kp-screen.js}, which loads noVNC
 * from its WebJar). The script is imported on first use, so no frontend bundle is needed.
 */
@Tag("kp-screen-console")
final class ScreenConsole extends Component {

    /** What the browser reports about its connection. */
    record State(String state, String reason, String desktopName) {}

    private static final String SCRIPT = "console/kp-screen.js";
    private static final String RELAY_PATH = "console/ws/screen";

    ScreenConsole() {
        setId("screen-console");
    }

    void connect(String ticket, boolean viewOnly) {
        // import() resolves against the page's base URI, not Vaadin's bundle, hence the URL.
        getElement()
                .executeJs(
                        "import(new URL($0, document.baseURI).href).then(() => this.connect($1, $2, $3))",
                        SCRIPT,
                        RELAY_PATH,
                        ticket,
                        viewOnly);
    }

    void refused(String message, boolean retry) {
        call("refused", message, retry);
    }

    void disconnect() {
        call("disconnect");
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

    void focusScreen() {
        call("focusScreen");
    }

    void screenshot(String fileName) {
        call("screenshot", fileName);
    }

    Registration onTicketNeeded(Runnable listener) {
        return getElement().addEventListener("ticket-needed", event -> listener.run());
    }

    Registration onStateChange(Consumer<State> listener) {
        return getElement()
                .addEventListener(
                        "console-state",
                        event -> listener.accept(new State(
                                text(event.getEventData().get("event.detail.state")),
                                text(event.getEventData().get("event.detail.reason")),
                                text(event.getEventData().get("event.detail.desktopName")))))
                .addEventData("event.detail.state")
                .addEventData("event.detail.reason")
                .addEventData("event.detail.desktopName");
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asString();
    }

    /** Calls a method of the element once its script has defined it. */
    private void call(String method, Object... arguments) {
        var placeholders = new StringBuilder();
        for (int i = 0; i < arguments.length; i++) {
            placeholders.append(i == 0 ? "" : ", ").append('$').append(i + 1);
        }
        Object[] parameters = new Object[arguments.length + 1];
        parameters[0] = SCRIPT;
        System.arraycopy(arguments, 0, parameters, 1, arguments.length);
        getElement()
                .executeJs(
                        "import(new URL($0, document.baseURI).href).then(() => this." + method + "(" + placeholders
                                + "))",
                        parameters);
    }
}
