package org.kvmportal.console.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleService;
import org.kvmportal.hypervisor.DomainSummary;

/**
 * A VM's screen inside its own page (the Console tab): connects when shown and, since the element hangs up
 * when it leaves the page, disconnects when the tab is left. The console page, one link away, has the toolbar
 * (keys a browser keeps for itself, pasting, scaling, the serial console).
 */
final class EmbeddedScreen extends VerticalLayout {

    private final ConsoleService consoles;
    private final DomainSummary vm;
    private final ScreenConsole screen = new ScreenConsole();
    private final Span status = new Span("Connecting…");
    private boolean viewOnly;

    EmbeddedScreen(ConsoleService consoles, DomainSummary vm) {
        this.consoles = consoles;
        this.vm = vm;
        setPadding(false);
        setWidthFull();
        // A height of its own: the screen scales to fit what it is given.
        setHeight("70vh");
        status.setId("embedded-console-status");
        var page = new Anchor(ConsoleView.pathOf(vm.ref()), "Full console");
        page.setId("embedded-console-page");
        var line = new HorizontalLayout(status, page);
        line.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(line, screen);
        setFlexGrow(1, screen);
        screen.onTicketNeeded(this::connect);
        screen.onStateChange(state -> state.showIn(status, viewOnly));
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        connect();
    }

    private void connect() {
        viewOnly = consoles.startsViewOnly(vm.ref());
        String refusal = screen.open(consoles, vm, ConsoleKind.SCREEN, viewOnly);
        if (refusal == null) {
            new BrowserConsole.State("connecting", null, null).showIn(status, viewOnly);
        } else {
            status.setText(refusal);
        }
    }
}
