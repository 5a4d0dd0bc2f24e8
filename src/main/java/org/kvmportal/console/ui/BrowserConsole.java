package org.kvmportal.console.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.shared.Registration;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The server side of a console element ({@code console/kp-*.js}, built on {@code kp-console-base.js}): hands
 * it tickets and hears how its connection goes. The element's script is imported on first use, so no
 * frontend bundle is needed.
 */
abstract class BrowserConsole extends Component {

    /** What the browser reports about its connection. */
    record State(String state, String reason, String desktopName) {

        boolean connected() {
            return "connected".equals(state);
        }

        /** A line for the person at the console; the desktop name is the VNC server's, shown as text. */
        String describe(boolean viewOnly) {
            return switch (state) {
                case "connecting" -> "Connecting…";
                case "connected" ->
                    "Connected"
                            + (desktopName == null ? "" : " to \u201c" + desktopName + "\u201d")
                            + (viewOnly ? " (view only)" : "");
                case "reconnecting" -> reason + " Reconnecting…";
                default -> reason == null ? "Disconnected" : reason;
            };
        }
    }

    private final String script;
    private final String relayPath;

    BrowserConsole(String script, String relayPath) {
        this.script = script;
        this.relayPath = relayPath;
    }

    void connect(String ticket, boolean viewOnly) {
        call("connect", relayPath, ticket, viewOnly);
    }

    void refused(String message, boolean retry) {
        call("refused", message, retry);
    }

    void disconnect() {
        call("disconnect");
    }

    void focusScreen() {
        call("focusScreen");
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
    void call(String method, Object... arguments) {
        var placeholders = new StringBuilder();
        for (int i = 0; i < arguments.length; i++) {
            placeholders.append(i == 0 ? "" : ", ").append('$').append(i + 1);
        }
        Object[] parameters = new Object[arguments.length + 1];
        parameters[0] = script;
        System.arraycopy(arguments, 0, parameters, 1, arguments.length);
        // import() resolves against the page's base URI, not Vaadin's bundle, hence the URL.
        getElement()
                .executeJs(
                        "import(new URL($0, document.baseURI).href).then(() => this." + method + "(" + placeholders
                                + "))",
                        parameters);
    }
}
