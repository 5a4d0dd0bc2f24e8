package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.kvmportal.base.ui.LiveUpdates;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmAssignments;
import org.kvmportal.vm.VmChanges;
import org.kvmportal.vm.VmEditing;
import org.kvmportal.vm.VmMetrics;
import org.kvmportal.vm.VmMigration;
import org.kvmportal.vm.VmPageTab;
import org.kvmportal.vm.VmRemoval;
import org.kvmportal.vm.VmRight;
import org.kvmportal.vm.VmService;
import org.kvmportal.vm.VmSnapshots;
import org.kvmportal.vm.VmThumbnails;
import org.springframework.beans.factory.ObjectProvider;

/** One VM: its state and actions, its definition, live performance and XML. */
@Route("vms/:host/:uuid")
@PermitAll
class VmDetailsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final VmService vms;
    private final VmAssignments assignments;
    private final VmChanges changes;
    private final VmMetrics metrics;
    private final VmActionRunner runner;
    private final VmThumbnails thumbnails;
    private final VmEditing editing;
    private final VmRemoval removal;
    private final VmSnapshots snapshots;
    private final VmMigration migration;
    private final List<VmPageTab> otherFeaturesTabs;
    private final H2 title = new H2();
    private final HorizontalLayout header = new HorizontalLayout();
    private final HorizontalLayout actionButtons = new HorizontalLayout();
    private final OverviewPanel overview = new OverviewPanel();
    private final PerformancePanel performance = new PerformancePanel();
    private final Div overviewTab = new Div(overview);
    private VmThumbnail thumbnail;
    private static final String LOADING = "Loading…";

    private final Pre xml = new Pre(LOADING);
    private final TabSheet tabs = new TabSheet();
    private DomainRef ref;
    private DomainSummary vm;

    VmDetailsView(
            VmService vms,
            VmAssignments assignments,
            VmChanges changes,
            VmMetrics metrics,
            VmThumbnails thumbnails,
            VmEditing editing,
            VmRemoval removal,
            VmSnapshots snapshots,
            VmMigration migration,
            ObjectProvider<VmPageTab> otherFeaturesTabs) {
        this.vms = vms;
        this.editing = editing;
        this.removal = removal;
        this.snapshots = snapshots;
        this.migration = migration;
        this.otherFeaturesTabs = otherFeaturesTabs.orderedStream().toList();
        this.assignments = assignments;
        this.thumbnails = thumbnails;
        this.changes = changes;
        this.metrics = metrics;
        this.runner = new VmActionRunner(vms);
        setSizeFull();
        title.setId("vm-name");
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.setWidthFull();
        actionButtons.setId("vm-detail-actions");
        xml.setId("vm-xml");
        xml.addClassName("xml");
        overviewTab.addClassName("overview-tab");
        tabs.add("Overview", overviewTab);
        tabs.add("Performance", performance);
        tabs.setWidthFull();
        add(header, tabs);
        LiveUpdates.bind(this, changes::subscribe, this::refresh);
        LiveUpdates.bind(this, metrics::subscribe, this::showPerformance);
    }

    static RouteParameters parameters(DomainRef ref) {
        return new RouteParameters(Map.of("host", ref.host(), "uuid", ref.uuid().toString()));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var host = event.getRouteParameters().get("host").orElse("");
        var found = event.getRouteParameters()
                .get("uuid")
                .flatMap(VmDetailsView::parseUuid)
                .map(uuid -> new DomainRef(host, uuid))
                .flatMap(vms::find);
        if (found.isEmpty()) {
            // The same answer for "does not exist" and "not yours": no probing for other people's VMs.
            event.rerouteToError(NotFoundException.class, "No such virtual machine.");
            return;
        }
        vm = found.get();
        ref = vm.ref();
        showHeader();
        if (thumbnail != null) {
            overviewTab.remove(thumbnail);
        }
        thumbnail = new VmThumbnail(thumbnails, vm);
        overviewTab.addComponentAsFirst(thumbnail);
        loadDetails(event.getUI());
        if (vms.mayReadXml(ref)) {
            var xmlTab = tabs.add("XML", xml);
            // Read from the host only when someone opens the tab, not on every visit to the page.
            tabs.addSelectedChangeListener(selected -> {
                if (selected.getSelectedTab() == xmlTab && xml.getText().equals(LOADING)) {
                    var ui = event.getUI();
                    vms.xml(ref)
                            .whenComplete((text, error) ->
                                    ui.access(() -> xml.setText(error == null ? text : VmService.messageOf(error))));
                }
            });
        }
        if (editing.mayEdit(ref)) {
            tabs.add("Hardware", new HardwarePanel(editing, vms, ref, event.getUI()));
        }
        if (vms.rights(ref).contains(VmRight.ASSIGN)) {
            tabs.add("Access", new AccessPanel(assignments, vms, ref, event.getUI()));
        }
        if (snapshots.mayManage(ref)) {
            tabs.add("Snapshots", new SnapshotsPanel(snapshots, vms, ref));
        }
        otherFeaturesTabs.stream().filter(tab -> tab.offeredFor(vm)).forEach(this::addLazyTab);
        performance.show(vms.sampleHistory(ref));
    }

    /** A tab whose content is made each time it is selected and removed when another one is (a console, say). */
    private void addLazyTab(VmPageTab contributed) {
        var holder = new Div();
        holder.setSizeFull();
        var tab = tabs.add(contributed.label(), holder);
        tabs.addSelectedChangeListener(change -> {
            holder.removeAll();
            if (change.getSelectedTab() == tab) {
                holder.add(contributed.open(vm));
            }
        });
    }

    private void loadDetails(UI ui) {
        vms.details(ref)
                .whenComplete((details, error) -> ui.access(() -> {
                    if (error == null) {
                        overview.show(details);
                    } else {
                        overview.removeAll();
                        overview.add(new Paragraph(VmService.messageOf(error)));
                    }
                }));
    }

    private void showHeader() {
        title.setText(vm.name());
        actionButtons.removeAll();
        for (VmAction action : vms.offeredActions(vm)) {
            var button =
                    new Button(action.label(), event -> getUI().ifPresent(ui -> runner.run(ui, action, List.of(vm))));
            button.setDisableOnClick(true);
            actionButtons.add(button);
        }
        if (removal.mayDelete(ref)) {
            var delete = new Button(
                    "Delete…",
                    event -> new VmDeleteDialog(
                                    removal, vms, vm, () -> getUI().ifPresent(ui -> ui.navigate(VmListView.class)))
                            .open());
            delete.setId("delete-vm");
            delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            actionButtons.add(delete);
        }
        addProvisioningButtons();
        if (migration.mayMigrate()) {
            migration.modeFor(vm).ifPresent(mode -> {
                var migrate = new Button("Migrate…", event -> new MigrateDialog(migration, vm, mode).open());
                migrate.setId("migrate-vm");
                actionButtons.add(migrate);
            });
        }
        header.removeAll();
        header.add(title, StateBadge.of(vm, vms.runningAction(ref)), actionButtons);
        if (vm.state().isActive() && vms.rights(ref).contains(VmRight.WATCH_CONSOLE)) {
            header.add(consoleLinks());
        }
    }

    /** Clone and template pages belong to provisioning, reached by path (it depends on this feature). */
    private void addProvisioningButtons() {
        var rights = vms.rights(ref);
        String path = "vms/" + ref.host() + "/" + ref.uuid();
        if (vm.state() == PowerState.SHUT_OFF && rights.contains(VmRight.MANAGE)) {
            var clone = new Button("Clone…", event -> getUI().ifPresent(ui -> ui.navigate(path + "/clone")));
            clone.setId("vm-clone");
            actionButtons.add(clone);
        }
        if (rights.contains(VmRight.ASSIGN)) {
            var template =
                    new Button("Mark as template…", event -> getUI().ifPresent(ui -> ui.navigate(path + "/template")));
            template.setId("vm-template");
            actionButtons.add(template);
        }
    }

    /** The console opens in this tab or, for working beside this page, in a new one. */
    private HorizontalLayout consoleLinks() {
        // The console's route, by path: the console feature depends on this one, not the other way round.
        String path = ConsolePaths.of(ref);
        var open = new Button("Console", event -> getUI().ifPresent(ui -> ui.navigate(path)));
        open.setId("open-console");
        open.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var newTab = new Anchor(path, "in a new tab");
        newTab.setTarget(AnchorTarget.BLANK);
        newTab.setId("open-console-tab");
        var links = new HorizontalLayout(open, newTab);
        links.setAlignItems(FlexComponent.Alignment.BASELINE);
        ConsolePaths.preloadScreenConsole(links);
        return links;
    }

    private void showPerformance() {
        if (ref != null) {
            performance.show(vms.sampleHistory(ref));
        }
    }

    private void refresh() {
        if (ref == null) {
            return;
        }
        var now = vms.find(ref);
        if (now.isEmpty()) {
            title.setText(vm.name() + " (removed)");
            actionButtons.removeAll();
            return;
        }
        boolean stateChanged = now.get().state() != vm.state();
        vm = now.get();
        showHeader();
        thumbnail.show(vm);
        if (stateChanged) {
            getUI().ifPresent(this::loadDetails);
        }
    }

    @Override
    public String getPageTitle() {
        return (vm == null ? "Virtual machine" : vm.name()) + " | KVM Portal";
    }

    private static Optional<UUID> parseUuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
