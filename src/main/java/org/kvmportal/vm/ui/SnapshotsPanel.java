package org.kvmportal.vm.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.treegrid.TreeGrid;
import com.vaadin.flow.data.provider.hierarchy.TreeData;
import com.vaadin.flow.data.provider.hierarchy.TreeDataProvider;
import com.vaadin.flow.server.Command;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Snapshot;
import org.kvmportal.vm.VmService;
import org.kvmportal.vm.VmSnapshots;

/**
 * A VM's snapshots as a tree, for the people who manage it: take, revert to, delete, and (admins) mark one as the
 * clean state. Every call to the host is asynchronous and lands through push; names and descriptions come from
 * libvirt and are shown as text only.
 */
final class SnapshotsPanel extends VerticalLayout {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final VmSnapshots snapshots;
    private final VmService vms;
    private final DomainRef ref;
    private final TreeGrid<Snapshot> tree = new TreeGrid<>();
    private final Span status = new Span();
    private final Button revert = new Button("Revert…", event -> selected(this::openRevert));
    private final Button delete = new Button("Delete…", event -> selected(this::openDelete));
    private final Button markClean = new Button("Mark as clean state", event -> selected(this::toggleClean));
    private String clean;

    SnapshotsPanel(VmSnapshots snapshots, VmService vms, DomainRef ref) {
        this.snapshots = snapshots;
        this.vms = vms;
        this.ref = ref;
        setId("vm-snapshots");
        setPadding(false);
        tree.setId("snapshot-tree");
        // A fixed width: auto width does not count the indentation of children, which then get cut off.
        tree.addHierarchyColumn(Snapshot::name)
                .setHeader("Name")
                .setWidth("16em")
                .setFlexGrow(0)
                .setSortable(false)
                .setTooltipGenerator(Snapshot::name);
        tree.addColumn(snapshot -> snapshot.created() == null ? "—" : TIME.format(snapshot.created()))
                .setHeader("Created")
                .setAutoWidth(true);
        tree.addColumn(snapshot -> snapshot.state().label()).setHeader("State").setAutoWidth(true);
        tree.addColumn(snapshot -> snapshot.memory() ? "yes" : "no")
                .setHeader("Memory")
                .setAutoWidth(true);
        tree.addComponentColumn(this::markers).setHeader("").setAutoWidth(true);
        tree.addColumn(Snapshot::description)
                .setHeader("Description")
                .setWidth("10em")
                .setFlexGrow(1)
                .setTooltipGenerator(Snapshot::description);
        tree.setAllRowsVisible(true);
        tree.setEmptyStateText("No snapshots yet.");
        var create = new Button("Create snapshot…", event -> openCreate());
        create.setId("create-snapshot");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        revert.setId("revert-snapshot");
        delete.setId("delete-snapshot");
        markClean.setId("mark-clean-snapshot");
        markClean.setVisible(snapshots.mayMarkClean(ref));
        var refresh = new Button("Refresh", event -> load());
        refresh.setId("refresh-snapshots");
        status.setId("snapshot-status");
        // Acting on the selected row keeps the tree narrow enough for its columns.
        tree.asSingleSelect().addValueChangeListener(event -> showSelection());
        showSelection();
        add(new HorizontalLayout(create, revert, delete, markClean, refresh), status, tree);
        // A tab's content is attached when the tab is opened: read the host then, and again on each visit.
        addAttachListener(event -> load());
    }

    private void load() {
        var ui = UI.getCurrent();
        status.setText("Loading…");
        String cleanNow = snapshots.cleanSnapshot(ref).orElse(null);
        snapshots
                .list(ref)
                .whenComplete((list, error) -> access(ui, () -> {
                    if (error != null) {
                        status.setText(VmService.messageOf(error));
                        return;
                    }
                    clean = cleanNow;
                    show(list);
                    status.setText(list.isEmpty() ? "" : list.size() == 1 ? "1 snapshot" : list.size() + " snapshots");
                }));
    }

    /** The list comes parents first (see {@code Snapshots#list}), so each parent is in the tree before its children. */
    private void show(List<Snapshot> list) {
        var data = new TreeData<Snapshot>();
        var byName = new HashMap<String, Snapshot>();
        for (var snapshot : list) {
            var parent = snapshot.parent() == null ? null : byName.get(snapshot.parent());
            data.addItem(parent, snapshot);
            byName.put(snapshot.name(), snapshot);
        }
        String wasSelected = tree.asSingleSelect().isEmpty()
                ? null
                : tree.asSingleSelect().getValue().name();
        tree.setDataProvider(new TreeDataProvider<>(data));
        if (byName.containsKey(wasSelected)) {
            tree.select(byName.get(wasSelected));
        }
        tree.expandRecursively(data.getRootItems(), Integer.MAX_VALUE);
        showSelection();
    }

    private void showSelection() {
        var snapshot = tree.asSingleSelect().getValue();
        revert.setEnabled(snapshot != null);
        delete.setEnabled(snapshot != null);
        markClean.setEnabled(snapshot != null);
        markClean.setText(
                snapshot != null && snapshot.name().equals(clean) ? "Unmark clean state" : "Mark as clean state");
    }

    private void selected(Consumer<Snapshot> action) {
        var snapshot = tree.asSingleSelect().getValue();
        if (snapshot != null) {
            action.accept(snapshot);
        }
    }

    private void toggleClean(Snapshot snapshot) {
        markClean(snapshot.name().equals(clean) ? null : snapshot.name());
    }

    private Component markers(Snapshot snapshot) {
        var markers = new HorizontalLayout();
        markers.setSpacing(true);
        if (snapshot.current()) {
            markers.add(badge("current", "", snapshot));
        }
        if (snapshot.name().equals(clean)) {
            markers.add(badge("clean state", "success", snapshot));
        }
        if (snapshot.external()) {
            markers.add(badge("disk-only", "contrast", snapshot));
        }
        return markers;
    }

    private static Span badge(String text, String theme, Snapshot snapshot) {
        var badge = new Span(text);
        badge.getElement().getThemeList().add("badge");
        if (!theme.isEmpty()) {
            badge.getElement().getThemeList().add(theme);
        }
        badge.getElement().setAttribute("data-snapshot", snapshot.name());
        badge.addClassName("snapshot-marker");
        return badge;
    }

    private void openCreate() {
        vms.find(ref).ifPresent(vm -> new CreateSnapshotDialog(snapshots, vm, UI.getCurrent(), this::load).open());
    }

    private void openRevert(Snapshot snapshot) {
        vms.find(ref)
                .ifPresent(vm -> new RevertSnapshotDialog(snapshots, vm, snapshot, UI.getCurrent(), this::load).open());
    }

    private void openDelete(Snapshot snapshot) {
        vms.find(ref)
                .ifPresent(vm -> DeleteSnapshotDialog.open(
                        snapshots, vm, snapshot, snapshot.name().equals(clean), UI.getCurrent(), this::load));
    }

    private void markClean(String snapshot) {
        var ui = UI.getCurrent();
        vms.markClean(ref, snapshot)
                .whenComplete((ok, error) -> access(ui, () -> {
                    Notices.show(
                            error != null
                                    ? VmService.messageOf(error)
                                    : snapshot == null ? "Clean state cleared." : "Clean state: " + snapshot + ".",
                            error != null);
                    load();
                }));
    }

    /**
     * Runs {@code task} in the UI if it is still open: snapshot calls can take minutes, and the person may have
     * left the page meanwhile (the outcome is in the audit log).
     */
    static void access(UI ui, Command task) {
        try {
            ui.access(task);
        } catch (UIDetachedException e) {
            // nobody left to tell
        }
    }
}
