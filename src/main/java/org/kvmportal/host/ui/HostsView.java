package org.kvmportal.host.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kvmportal.base.ui.LiveUpdates;
import org.kvmportal.host.HostChanges;
import org.kvmportal.host.HostRow;
import org.kvmportal.host.HostService;
import org.kvmportal.hypervisor.HostFacts;
import org.kvmportal.hypervisor.HostState;

@Route("hosts")
@PageTitle("Hosts | KVM Portal")
@Menu(title = "Hosts", order = 20, icon = "vaadin:server")
@RolesAllowed("ADMIN")
class HostsView extends VerticalLayout {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final HostService hosts;
    private final HostChanges changes;
    private final Grid<HostRow> grid = new Grid<>();
    /** Facts are read from each host once per visit, in the background; the grid shows them when they come. */
    private final Map<String, HostFacts> facts = new ConcurrentHashMap<>();

    HostsView(HostService hosts, HostChanges changes) {
        this.hosts = hosts;
        this.changes = changes;
        setSizeFull();
        grid.setId("host-grid");
        grid.addColumn(row -> row.status().name()).setHeader("Name").setAutoWidth(true);
        grid.addColumn(row -> row.status().uri() + (row.status().simulated() ? " (simulated)" : ""))
                .setHeader("URI")
                .setAutoWidth(true);
        grid.addColumn(HostsView::state).setHeader("State").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(row -> TIME.format(row.status().since()))
                .setHeader("Since")
                .setAutoWidth(true);
        grid.addColumn(row -> fact(row, f -> f.hypervisor() + " · libvirt " + f.libvirt()))
                .setHeader("Hypervisor")
                .setAutoWidth(true);
        grid.addColumn(row -> fact(row, f -> Integer.toString(f.cpus())))
                .setHeader("CPUs")
                .setAutoWidth(true);
        grid.addColumn(row -> fact(
                        row,
                        f -> f.freeMemoryKiB() < 0
                                ? gib(f.memoryKiB())
                                : gib(f.freeMemoryKiB()) + " free of " + gib(f.memoryKiB())))
                .setHeader("Memory")
                .setAutoWidth(true);
        grid.addColumn(row -> row.vmsRunning() + " running / " + row.vmsDefined())
                .setHeader("VMs")
                .setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true).setFlexGrow(0);
        var add = new Button(
                "Add host", event -> HostDialog.forNewHost(hosts, this::refresh).open());
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add.setId("add-host");
        add(new HorizontalLayout(new H2("Hosts"), add), grid);
        setFlexGrow(1, grid);
        refresh();
        LiveUpdates.bind(this, changes::subscribe, this::refresh);
    }

    private HorizontalLayout actions(HostRow row) {
        if (!row.editable()) {
            return new HorizontalLayout(new Paragraph("from configuration"));
        }
        var edit = new Button(
                "Change", event -> HostDialog.forHost(hosts, row, this::refresh).open());
        var remove = new Button("Remove", event -> confirmRemove(row));
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(edit, remove);
    }

    private void confirmRemove(HostRow row) {
        var dialog = new Dialog();
        String name = row.status().name();
        dialog.setHeaderTitle("Remove host " + name + "?");
        dialog.add(new Paragraph("The portal stops managing " + name + ". Its virtual machines keep running and"
                + " nothing on the host changes."));
        var remove = new Button("Remove", event -> {
            dialog.close();
            hosts.remove(name);
            Notification.show("Host " + name + " removed.");
            refresh();
        });
        remove.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.getFooter().add(new Button("Cancel", event -> dialog.close()), remove);
        dialog.open();
    }

    private void refresh() {
        var rows = hosts.rows();
        grid.setItems(rows);
        var ui = UI.getCurrent();
        rows.stream()
                .filter(row -> row.status().state() == HostState.CONNECTED
                        && !facts.containsKey(row.status().name()))
                .forEach(row -> hosts.facts(row.status().name())
                        .thenAccept(f -> ui.access(() -> {
                            facts.put(row.status().name(), f);
                            grid.getDataProvider().refreshAll();
                        })));
    }

    private String fact(HostRow row, java.util.function.Function<HostFacts, String> format) {
        var known = facts.get(row.status().name());
        return known == null ? "" : format.apply(known);
    }

    private static String state(HostRow row) {
        var status = row.status();
        String state = status.state().name().toLowerCase(Locale.ROOT);
        return status.reason().isEmpty() ? state : state + ": " + status.reason();
    }

    private static String gib(long kib) {
        return String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024));
    }
}
