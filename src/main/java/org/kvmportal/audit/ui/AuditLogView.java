package org.kvmportal.audit.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;

@Route("audit")
@PageTitle("Audit log | KVM Portal")
@Menu(title = "Audit log", order = 30, icon = "vaadin:records")
@RolesAllowed("ADMIN")
class AuditLogView extends VerticalLayout {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    AuditLogView(AuditLog auditLog) {
        setSizeFull();
        var grid = new Grid<AuditEntry>();
        grid.addColumn(entry -> TIME.format(entry.time())).setHeader("Time").setAutoWidth(true);
        grid.addColumn(AuditEntry::username).setHeader("User").setAutoWidth(true);
        grid.addColumn(AuditEntry::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(AuditEntry::target).setHeader("Target").setAutoWidth(true);
        grid.addColumn(AuditEntry::result).setHeader("Result").setAutoWidth(true);
        grid.addColumn(AuditEntry::client).setHeader("Client").setAutoWidth(true);
        grid.addColumn(AuditEntry::detail).setHeader("Detail").setFlexGrow(1);
        grid.setItems(auditLog.latest(500));
        add(new H2("Audit log"), grid);
        setFlexGrow(1, grid);
    }
}
