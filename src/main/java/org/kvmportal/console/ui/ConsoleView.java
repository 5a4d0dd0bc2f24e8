package org.kvmportal.console.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.select.SelectVariant;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.component.tabs.TabsVariant;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.base.ui.LiveUpdates;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleService;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.ConsoleAccess;
import org.kvmportal.vm.VmChanges;
import org.kvmportal.vm.VmService;

/**
 * A VM's console on a page of its own (no side menu), so it can fill a window or a browser tab: the screen
 * through noVNC, a toolbar for what a keyboard cannot send, and who else is watching.
 */
@Route(value = "vms/:host/:uuid/console", autoLayout = false)
@PermitAll
class ConsoleView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    /** Key combinations a browser would catch for itself, as keysym names of noVNC's KeyTable. */
    private static final Map<String, List<String>> COMBOS = combos();

    private final ConsoleService consoles;
    private final CurrentUser caller;
    private final VmService vms;
    private final ScreenConsole screen = new ScreenConsole();
    private final SerialTerminal serial = new SerialTerminal();
    private final Tabs consoleTabs = new Tabs();
    private final Tab screenTab = new Tab("Screen");
    private final Tab serialTab = new Tab("Serial console");
    private final HorizontalLayout screenTools = new HorizontalLayout();
    private final HorizontalLayout toolbar = new HorizontalLayout();
    private final H1 title = new H1();
    private final Span state = new Span();
    private final Span status = new Span("Connecting…");
    private final Span viewers = new Span();
    private final Checkbox viewOnly = new Checkbox("View only");
    private final PowerMenu power;
    private final Anchor back = new Anchor("", "← Virtual machine");
    private BrowserConsole showing = screen;
    private DomainRef ref;
    private DomainSummary vm;
    private boolean connected;

    ConsoleView(ConsoleService consoles, VmService vms, VmChanges changes, CurrentUser caller) {
        this.consoles = consoles;
        this.caller = caller;
        this.vms = vms;
        this.power = new PowerMenu(vms);
        setSizeFull();
        setPadding(false);
        setSpacing(false);
        addClassName("console-page");
        status.setId("console-status");
        viewers.setId("console-viewers");
        state.setId("console-vm-state");
        viewOnly.setId("view-only");
        add(header(), toolbar, screen, serial);
        setFlexGrow(1, screen, serial);
        serial.setVisible(false);
        for (BrowserConsole console : List.of(screen, serial)) {
            console.onTicketNeeded(this::connect);
            console.onStateChange(this::showState);
        }
        consoleTabs.add(screenTab, serialTab);
        consoleTabs.setId("console-tabs");
        consoleTabs.addSelectedChangeListener(change -> switchConsole());
        viewOnly.addValueChangeListener(change -> {
            if (change.isFromClient()) {
                connect();
            }
        });
        LiveUpdates.bind(this, changes::subscribe, this::refreshVm);
        LiveUpdates.bind(this, consoles::onViewersChanged, this::showViewers);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var host = event.getRouteParameters().get("host").orElse("");
        var found = event.getRouteParameters()
                .get("uuid")
                .flatMap(ConsoleView::parseUuid)
                .map(uuid -> new DomainRef(host, uuid))
                .flatMap(vms::find);
        if (found.isEmpty() || consoles.access(found.get().ref()) == ConsoleAccess.NONE) {
            // The same answer for "does not exist" and "not yours": no probing for other people's VMs.
            event.rerouteToError(NotFoundException.class, "No such virtual machine.");
            return;
        }
        vm = found.get();
        ref = vm.ref();
        viewOnly.setValue(consoles.startsViewOnly(ref));
        showVm();
        showViewers();
        connect();
    }

    /** This page's path for a VM, relative to the portal's base URL. */
    static String pathOf(DomainRef vm) {
        return "vms/" + vm.host() + "/" + vm.uuid() + "/console";
    }

    @Override
    public String getPageTitle() {
        return vm == null ? "Console" : "Console: " + vm.name();
    }

    private HorizontalLayout header() {
        back.setId("console-back");
        title.addClassName("console-title");
        var header = new HorizontalLayout(back, title, state, status, viewers);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.addClassName("console-header");
        header.setWidthFull();
        return header;
    }

    /**
     * The toolbar comes in a message of its own, right after the page: the browser then starts the console's
     * connection before it builds a dozen toolbar components, which took about as long as the server's answer.
     */
    @Override
    protected void onAttach(AttachEvent attach) {
        if (toolbar.getComponentCount() == 0) {
            var ui = attach.getUI();
            Thread.ofVirtual().start(() -> ui.access(this::fillToolbar));
        }
    }

    private void fillToolbar() {
        var keys = new MenuBar();
        keys.setId("send-keys");
        var send = keys.addItem("Send keys");
        COMBOS.forEach((label, keysyms) -> send.getSubMenu().addItem(label, click -> screen.sendCombo(keysyms)));
        var paste = new Button("Type text…", click -> new PasteDialog(screen::typeText).open());
        paste.setId("paste-text");
        var scaling = new Select<String>();
        scaling.setId("scaling");
        scaling.setItems("fit", "actual", "remote");
        scaling.setItemLabelGenerator(mode -> switch (mode) {
            case "fit" -> "Fit to window";
            case "actual" -> "Actual size";
            default -> "Resize guest to window";
        });
        scaling.setValue("fit");
        scaling.setAriaLabel("Scaling");
        scaling.addValueChangeListener(change -> screen.setScaling(change.getValue()));
        var fullscreen = new Button("Fullscreen", click -> screen.fullscreen());
        var screenshot = new Button(
                "Screenshot",
                click -> screen.screenshot(vm.name() + "-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".png"));
        screenshot.setId("screenshot");
        var focus = new Button("Focus console", click -> active().focusScreen());
        screenTools.add(keys, paste, scaling, fullscreen, screenshot);
        screenTools.setAlignItems(FlexComponent.Alignment.CENTER);
        // Compact controls: every pixel of height they take is one the screen does not get.
        for (var button : List.of(paste, fullscreen, screenshot, focus)) {
            button.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        }
        keys.addThemeVariants(MenuBarVariant.LUMO_SMALL, MenuBarVariant.LUMO_TERTIARY);
        power.addThemeVariants(MenuBarVariant.LUMO_SMALL, MenuBarVariant.LUMO_TERTIARY);
        scaling.addThemeVariants(SelectVariant.LUMO_SMALL);
        consoleTabs.addThemeVariants(TabsVariant.LUMO_SMALL);
        toolbar.add(consoleTabs, screenTools, viewOnly, focus, power);
        toolbar.setAlignItems(FlexComponent.Alignment.CENTER);
        toolbar.addClassName("console-toolbar");
        toolbar.setWidthFull();
    }

    /** Hands the browser a fresh ticket for the console shown, or shows why there is none. */
    private void connect() {
        if (vm == null) {
            return;
        }
        String refusal = active().open(consoles, vm, activeKind(), viewOnly.getValue());
        if (refusal == null) {
            // The browser does not report that it is connecting (see kp-console-base.js): it is said here.
            showState(new BrowserConsole.State("connecting", null, null));
        } else {
            status.setText(refusal);
        }
    }

    /** One connection at a time: the tab shown is the console connected. */
    private void switchConsole() {
        active().setVisible(false);
        active().disconnect();
        boolean toSerial = consoleTabs.getSelectedTab() == serialTab;
        showing = toSerial ? serial : screen;
        screenTools.setVisible(!toSerial);
        showing.setVisible(true);
        connect();
    }

    private BrowserConsole active() {
        return showing;
    }

    private ConsoleKind activeKind() {
        return showing == serial ? ConsoleKind.SERIAL : ConsoleKind.SCREEN;
    }

    private void showState(BrowserConsole.State reported) {
        connected = reported.connected();
        reported.showIn(status, viewOnly.getValue());
    }

    private void refreshVm() {
        if (ref == null) {
            return;
        }
        var now = vms.find(ref);
        if (now.isEmpty()) {
            status.setText("This virtual machine no longer exists.");
            active().disconnect();
            return;
        }
        boolean started = !vm.state().isActive() && now.get().state().isActive();
        vm = now.get();
        showVm();
        if (started && !connected) {
            connect(); // do not make the user wait for the next retry
        }
    }

    private void showVm() {
        title.setText(vm.name());
        state.setText(vm.state().label());
        state.getElement().getThemeList().set("badge", true);
        state.getElement().setAttribute("data-state", vm.state().name());
        power.show(vm);
        back.setHref("vms/" + ref.host() + "/" + ref.uuid());
    }

    private void showViewers() {
        if (ref == null) {
            return;
        }
        var signedIn = caller.authentication();
        String me = signedIn == null ? "" : signedIn.getName();
        String others = consoles.viewers(ref).stream()
                .filter(viewer -> !viewer.username().equals(me))
                .map(viewer -> viewer.username() + (viewer.interactive() ? "" : " (view only)"))
                .distinct()
                .collect(Collectors.joining(", "));
        viewers.setText(others.isEmpty() ? "" : "Also watching: " + others);
    }

    private static Map<String, List<String>> combos() {
        var combos = new LinkedHashMap<String, List<String>>();
        combos.put("Ctrl+Alt+Del", List.of("XK_Control_L", "XK_Alt_L", "XK_Delete"));
        combos.put("Ctrl+Alt+Backspace", List.of("XK_Control_L", "XK_Alt_L", "XK_BackSpace"));
        for (int f = 1; f <= 7; f++) {
            combos.put("Ctrl+Alt+F" + f, List.of("XK_Control_L", "XK_Alt_L", "XK_F" + f));
        }
        return combos;
    }

    private static Optional<UUID> parseUuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
