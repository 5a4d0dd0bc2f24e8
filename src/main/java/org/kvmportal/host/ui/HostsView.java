package org.kvmportal.host.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.kvmportal.host.HostService;
import org.kvmportal.hypervisor.HostStatus;

@Route("hosts")
@PageTitle("Hosts | KVM Portal")
@Menu(title = "Hosts", order = 20, icon = "vaadin:server")
@RolesAllowed("ADMIN")
class HostsView extends VerticalLayout {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    HostsView(HostService hosts) {
        setSizeFull();
        var grid = new Grid<HostStatus>();
        grid.addColumn(HostStatus::name).setHeader("Name").setAutoWidth(true);
        grid.addColumn(host -> host.simulated() ? host.uri() + " (simulated)" : host.uri())
                .setHeader("URI")
                .setAutoWidth(true);
        grid.addColumn(host -> host.state().name().toLowerCase(java.util.Locale.ROOT))
                .setHeader("State")
                .setAutoWidth(true);
        grid.addColumn(host -> TIME.format(host.since())).setHeader("Since").setAutoWidth(true);
        grid.addColumn(HostStatus::reason).setHeader("Reason").setFlexGrow(1);
        grid.setItems(hosts.hosts());
        add(new H2("Hosts"), grid);
        setFlexGrow(1, grid);
    }
}
