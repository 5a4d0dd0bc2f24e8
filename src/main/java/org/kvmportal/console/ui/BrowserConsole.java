package org.kvmportal.console.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.Registration;
import java.util.function.Consumer;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleRefusedException;
import org.kvmportal.console.ConsoleService;
import org.kvmportal.hypervisor.DomainSummary;
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

        /** Shows this state in a status line: as text, and as its data-state attribute for styles and tests. */
        void showIn(Span status, boolean viewOnly) {
            status.getElement().setAttribute("data-state", state);
            status.setText(describe(viewOnly));
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

    /**
     * Asks for a fresh one-time ticket and hands it to the browser, or has the element show why there is none
     * (and try again later when the VM is not running, since starting it lifts the refusal).
     *
     * @return the refusal's message; null when the browser was told to connect
     */
    String open(ConsoleService consoles, DomainSummary vm, ConsoleKind kind, boolean viewOnly) {
        try {
            String httpSession = VaadinSession.getCurrent().getSession().getId();
            call("connect", relayPath, consoles.openTicket(vm.ref(), kind, !viewOnly, httpSession), viewOnly);
            return null;
        } catch (ConsoleRefusedException e) {
            refused(e.getMessage(), !vm.state().isActive());
            return e.getMessage();
        }
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
