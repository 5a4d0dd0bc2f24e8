package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.provider.QuerySortOrder;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteConfiguration;
import jakarta.annotation.security.PermitAll;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.kvmportal.base.ui.LiveUpdates;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmAssignments;
import org.kvmportal.vm.VmChanges;
import org.kvmportal.vm.VmMetrics;
import org.kvmportal.vm.VmQuery;
import org.kvmportal.vm.VmService;

/**
 * Every VM the user may see, on all hosts: filter (kept in the URL), sort, select several and act on them.
 * The grid pages lazily through the service and refreshes through push when libvirt reports a change.
 */
@Route("")
@PageTitle("Virtual machines | KVM Portal")
@Menu(title = "Virtual machines", order = 0, icon = "vaadin:desktop")
@PermitAll
class VmListView extends VerticalLayout implements BeforeEnterObserver {

    private static final List<VmAction> MAIN_ACTIONS =
            List.of(VmAction.START, VmAction.SHUTDOWN, VmAction.REBOOT, VmAction.FORCE_OFF);

    private final VmService vms;
    private final VmAssignments assignments;
    /** Who each VM is assigned to, read with each page of rows; staff only. */
    private Map<DomainRef, String> owners = Map.of();

    private final VmChanges changes;
    private final VmMetrics metrics;
    private final VmActionRunner runner;
    private final RouteConfiguration routes = RouteConfiguration.forApplicationScope();
    private final Grid<DomainSummary> grid = new Grid<>();
    private final TextField text = new TextField();
    private final Select<PowerState> state = new Select<>();
    private final Select<String> host = new Select<>();
    /** Built at the first selection: most visits never act on one, and its items cost heap per open list. */
    private MenuBar actions;

    private final Map<VmAction, MenuItem> menuItems = new EnumMap<>(VmAction.class);
    private final Button assign = new Button("Access…", event -> openAssignDialog());
    private final Span selectionCount = new Span("Select virtual machines to act on them.");
    private final HorizontalLayout actionBar = new HorizontalLayout();
    private final HostProblemsBanner hostProblems = new HostProblemsBanner();
    private boolean readingUrl;
    /** The last change this view has drawn, and the query and count the grid last fetched with. */
    private long changesSeen;

    private VmQuery shownQuery;
    private int shownCount = -1;

    VmListView(VmService vms, VmAssignments assignments, VmChanges changes, VmMetrics metrics) {
        this.vms = vms;
        this.assignments = assignments;
        this.changes = changes;
        this.metrics = metrics;
        this.runner = new VmActionRunner(vms);
        setSizeFull();
        configureFilters();
        configureGrid();
        var filters = new HorizontalLayout(text, state, host);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);
        filters.setWidthFull();
        filters.expand(text);
        actionBar.add(selectionCount);
        if (vms.mayAssign()) {
            assign.setId("assign-vms");
            assign.setEnabled(false);
            actionBar.add(assign);
        }
        actionBar.setAlignItems(FlexComponent.Alignment.CENTER);
        // The wizard belongs to provisioning, reached by path; it tells users without templates so itself.
        var newVm = new Button("New VM", event -> getUI().ifPresent(ui -> ui.navigate("vms/new")));
        newVm.setId("new-vm");
        var heading = new HorizontalLayout(new H2("Virtual machines"), newVm);
        heading.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(heading, hostProblems, filters, actionBar, grid);
        hostProblems.show(vms.hostProblems());
        setFlexGrow(1, grid);
        changesSeen = changes.version();
        LiveUpdates.bind(this, changes::subscribe, this::vmsChanged);
        LiveUpdates.bind(this, metrics::subscribe, this::samplesArrived);
    }

    private void configureFilters() {
        text.setPlaceholder("Filter by name or host");
        text.setClearButtonVisible(true);
        text.setValueChangeMode(ValueChangeMode.LAZY);
        text.setId("vm-filter");
        state.setItems(PowerState.values());
        state.setEmptySelectionAllowed(true);
        state.setEmptySelectionCaption("Any state");
        state.setItemLabelGenerator(s -> s == null ? "Any state" : s.label());
        state.setId("vm-state-filter");
        state.setWidth("12em");
        host.setItems(vms.hostNames());
        host.setEmptySelectionAllowed(true);
        host.setEmptySelectionCaption("All hosts");
        host.setId("vm-host-filter");
        host.setWidth("12em");
        text.addValueChangeListener(event -> filterChanged());
        state.addValueChangeListener(event -> filterChanged());
        host.addValueChangeListener(event -> filterChanged());
    }

    private void configureGrid() {
        grid.setId("vm-grid");
        // Templates, not components, for the name and state: a component per cell cost ~90 KB of server heap
        // per open list (docs/benchmarks.md). Lit sets the bindings as text, never as markup.
        grid.addColumn(LitRenderer.<DomainSummary>of("<a href=\"${item.href}\" router-link>${item.name}</a>")
                        .withProperty(
                                "href", vm -> routes.getUrl(VmDetailsView.class, VmDetailsView.parameters(vm.ref())))
                        .withProperty("name", DomainSummary::name))
                .setHeader("Name")
                .setKey("NAME")
                .setSortable(true)
                .setFlexGrow(2);
        grid.addColumn(vm -> vm.ref().host()).setHeader("Host").setKey("HOST").setSortable(true);
        grid.addColumn(StateBadge.renderer(vm -> vms.runningAction(vm.ref())))
                .setHeader("State")
                .setKey("STATE")
                .setSortable(true);
        grid.addColumn(DomainSummary::vcpus).setHeader("vCPUs").setKey("VCPUS").setSortable(true);
        grid.addColumn(vm -> Sizes.memory(vm.memoryKiB()))
                .setHeader("Memory")
                .setKey("MEMORY")
                .setSortable(true);
        grid.addColumn(vm -> vms.latestSample(vm.ref())
                        .filter(sample -> vm.state().isActive())
                        .map(sample -> String.format(Locale.ROOT, "%.1f %%", sample.cpuPercent()))
                        .orElse(""))
                .setHeader("CPU")
                .setKey("CPU");
        grid.addColumn(vm -> Uptimes.of(vm, Instant.now())).setHeader("Uptime").setKey("UPTIME");
        if (vms.showsOwners()) {
            grid.addColumn(vm -> owners.getOrDefault(vm.ref(), "—"))
                    .setHeader("Owner")
                    .setKey("OWNER");
        }
        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setEmptyStateText("No virtual machines to show.");
        // Identity by host + UUID: a VM whose state changed is still the same row, and stays selected.
        grid.setDataProvider(new CallbackDataProvider<DomainSummary, Void>(
                query -> {
                    if (vms.showsOwners()) {
                        owners = assignments.owners();
                    }
                    return vms.find(query(query.getSortOrders()), query.getOffset(), query.getLimit()).stream();
                },
                query -> {
                    shownQuery = query(query.getSortOrders());
                    shownCount = vms.count(shownQuery);
                    return shownCount;
                },
                DomainSummary::ref));
        grid.addSelectionListener(event -> updateActions());
    }

    private MenuBar actionsMenu() {
        var menu = new MenuBar();
        menu.addThemeVariants(MenuBarVariant.LUMO_DROPDOWN_INDICATORS);
        menu.setId("vm-actions");
        MAIN_ACTIONS.forEach(
                action -> menuItems.put(action, menu.addItem(action.label(), event -> runOnSelection(action))));
        var more = menu.addItem("More").getSubMenu();
        for (VmAction action : VmAction.values()) {
            if (!MAIN_ACTIONS.contains(action)) {
                menuItems.put(action, more.addItem(action.label(), event -> runOnSelection(action)));
            }
        }
        return menu;
    }

    /** Offers only the actions that make sense for at least one selected VM, as it is now. */
    private void updateActions() {
        var selected = selectedNow();
        if (actions == null && !selected.isEmpty()) {
            actions = actionsMenu();
            actionBar.addComponentAtIndex(1, actions);
        }
        if (actions != null) {
            actions.setEnabled(!selected.isEmpty());
        }
        menuItems.forEach((action, item) -> item.setEnabled(selected.stream()
                .anyMatch(vm -> action.appliesTo(vm) && vms.rights(vm.ref()).contains(action.requiredRight()))));
        assign.setEnabled(!selected.isEmpty());
        selectionCount.setText(
                selected.isEmpty() ? "Select virtual machines to act on them." : selected.size() + " selected:");
    }

    /** The selected VMs with their current state (the selection itself keeps the rows as they were). */
    private List<DomainSummary> selectedNow() {
        return grid.getSelectedItems().stream()
                .map(vm -> vms.find(vm.ref()).orElse(vm))
                .toList();
    }

    private void openAssignDialog() {
        new AssignDialog(assignments, selectedNow(), grid.getDataProvider()::refreshAll).open();
    }

    private void runOnSelection(VmAction action) {
        List<DomainSummary> selected = selectedNow();
        getUI().ifPresent(ui -> runner.run(ui, action, selected));
    }

    private VmQuery query(List<QuerySortOrder> sortOrders) {
        var sort = sortOrders.isEmpty() ? null : sortOrders.getFirst();
        return new VmQuery(
                text.getValue(),
                state.getValue(),
                host.getValue(),
                sort == null ? VmQuery.Sort.NAME : VmQuery.Sort.valueOf(sort.getSorted()),
                sort == null || sort.getDirection() == SortDirection.ASCENDING);
    }

    private void filterChanged() {
        if (readingUrl) {
            return;
        }
        grid.getDataProvider().refreshAll();
        var parameters = new LinkedHashMap<String, String>();
        if (!text.getValue().isBlank()) {
            parameters.put("q", text.getValue().strip());
        }
        if (state.getValue() != null) {
            parameters.put("state", state.getValue().name());
        }
        if (host.getValue() != null) {
            parameters.put("host", host.getValue());
        }
        getUI().ifPresent(ui ->
                ui.getPage().getHistory().replaceState(null, new Location("", QueryParameters.simple(parameters))));
    }

    /** The filter lives in the URL, so a filtered list can be bookmarked and shared. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters();
        readingUrl = true;
        try {
            text.setValue(parameters.getSingleParameter("q").orElse(""));
            state.setValue(parameters
                    .getSingleParameter("state")
                    .flatMap(VmListView::parseState)
                    .orElse(null));
            host.setValue(parameters
                    .getSingleParameter("host")
                    .filter(vms.hostNames()::contains)
                    .orElse(null));
        } finally {
            readingUrl = false;
        }
        grid.getDataProvider().refreshAll();
    }

    private static Optional<PowerState> parseState(String name) {
        try {
            return Optional.of(PowerState.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Redraws only the rows of the VMs that changed, when the rows stay where they are; re-reading and
     * redrawing the whole page costs each open list ~12 ms of server CPU, a row ~2 ms (docs/benchmarks.md).
     */
    private void vmsChanged() {
        hostProblems.show(vms.hostProblems());
        var since = changes.since(changesSeen);
        changesSeen = since.version();
        if (since.everything() || rowsMayMove() || vms.count(shownQuery) != shownCount) {
            grid.getDataProvider().refreshAll();
        } else {
            since.vms().forEach(ref -> vms.find(ref).ifPresent(this::redrawIfShown));
        }
        updateActions();
    }

    /** New CPU figures (and uptimes) for the running VMs in view. */
    private void samplesArrived() {
        vms.visibleVms().stream().filter(vm -> vm.state().isActive()).forEach(this::redrawIfShown);
    }

    /** Whether a VM's new state or size can move rows: filtered by state, or sorted by what changed. */
    private boolean rowsMayMove() {
        return shownQuery == null
                || shownQuery.state() != null
                || (shownQuery.sort() != VmQuery.Sort.NAME && shownQuery.sort() != VmQuery.Sort.HOST);
    }

    /** Only rows the browser holds: refreshing any other item would make the grid send it anyway. */
    private void redrawIfShown(DomainSummary vm) {
        if (grid.getDataCommunicator().getKeyMapper().has(vm)) {
            grid.getDataProvider().refreshItem(vm);
        }
    }
}
