package org.kvmportal.audit.ui;

import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadEvent;
import jakarta.annotation.security.PermitAll;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.audit.AuditQuery;
import org.kvmportal.base.CurrentUser;

/**
 * The audit log, filtered, newest first, read page by page. Admins see every entry; everyone else the entries
 * about the VMs they can see (the service decides). The filter lives in the URL; the CSV export takes the same
 * filter and rule, all matching rows.
 */
@Route("audit")
@PageTitle("Audit log | KVM Portal")
@Menu(title = "Audit log", order = 30, icon = "vaadin:records")
@PermitAll
class AuditLogView extends VerticalLayout implements BeforeEnterObserver {

    static final List<String> RESULTS = List.of("SUCCESS", "FAILURE", "REFUSED");
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZONE);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZONE);

    private final AuditLog auditLog;
    private final Grid<AuditEntry> grid = new Grid<>();
    private final TextField user = new TextField();
    private final TextField vm = new TextField();
    private final MultiSelectComboBox<String> actions = new MultiSelectComboBox<>();
    private final DateTimePicker from = new DateTimePicker();
    private final DateTimePicker to = new DateTimePicker();
    private final Select<String> result = new Select<>();
    private boolean readingUrl;
    /** Read by the CSV download, which runs on a request thread of its own. */
    private volatile AuditQuery query = AuditQuery.ALL;

    private final CurrentUser caller;

    AuditLogView(AuditLog auditLog, CurrentUser caller) {
        this.auditLog = auditLog;
        this.caller = caller;
        setSizeFull();
        configureFilters();
        configureGrid();
        var export = new Anchor(this::writeCsv, "Export CSV");
        export.setId("audit-export");
        var filters = new HorizontalLayout(user, vm, actions, from, to, result, export);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);
        filters.setWidthFull();
        filters.setWrap(true);
        add(new H2("Audit log"));
        if (!isAdmin()) {
            add(new Span("Entries about the virtual machines you can see."));
        }
        add(filters, grid);
        setFlexGrow(1, grid);
    }

    private void configureFilters() {
        user.setLabel("User");
        user.setId("audit-user");
        vm.setLabel("VM or target");
        vm.setId("audit-vm");
        for (var text : List.of(user, vm)) {
            text.setClearButtonVisible(true);
            text.setValueChangeMode(ValueChangeMode.LAZY);
            text.setWidth("11em");
        }
        actions.setLabel("Action");
        actions.setPlaceholder("Any action");
        actions.setId("audit-actions");
        actions.setItems(auditLog.actions());
        actions.setWidth("16em");
        from.setLabel("From");
        from.setId("audit-from");
        to.setLabel("To");
        to.setId("audit-to");
        result.setLabel("Result");
        result.setItems(RESULTS);
        result.setEmptySelectionAllowed(true);
        result.setEmptySelectionCaption("Any result");
        result.setItemLabelGenerator(value -> value == null ? "Any result" : value);
        result.setId("audit-result");
        result.setWidth("10em");
        for (HasValue<?, ?> field : List.<HasValue<?, ?>>of(user, vm, actions, from, to, result)) {
            field.addValueChangeListener(event -> filterChanged());
        }
    }

    private void configureGrid() {
        grid.setId("audit-grid");
        grid.addColumn(entry -> TIME.format(entry.time())).setHeader("Time").setAutoWidth(true);
        grid.addColumn(AuditEntry::username).setHeader("User").setAutoWidth(true);
        grid.addColumn(AuditEntry::role).setHeader("Role").setAutoWidth(true);
        grid.addColumn(AuditEntry::client).setHeader("Client").setAutoWidth(true);
        grid.addColumn(AuditEntry::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(AuditEntry::target).setHeader("Target").setAutoWidth(true);
        grid.addColumn(AuditEntry::reason).setHeader("Reason").setAutoWidth(true);
        grid.addColumn(AuditEntry::result).setHeader("Result").setAutoWidth(true);
        grid.addColumn(AuditEntry::detail).setHeader("Detail").setFlexGrow(1);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.setEmptyStateText("No audit entries to show.");
        grid.setItems(
                page -> auditLog.search(query, page.getOffset(), page.getLimit()).stream(),
                page -> auditLog.count(query));
    }

    private void writeCsv(DownloadEvent event) throws IOException {
        AuditQuery filter = query;
        event.setFileName("audit-log-" + FILE_TIME.format(Instant.now()) + ".csv");
        event.setContentType("text/csv; charset=UTF-8");
        try (var out = new BufferedWriter(new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8))) {
            auditLog.exportCsv(filter, out);
        }
    }

    private AuditQuery queryFromFields() {
        return new AuditQuery(
                user.getValue(),
                false,
                vm.getValue(),
                null,
                actions.getValue(),
                instant(from.getValue()),
                instant(to.getValue()),
                result.getValue());
    }

    private void filterChanged() {
        if (readingUrl) {
            return;
        }
        query = queryFromFields();
        grid.getDataProvider().refreshAll();
        getUI().ifPresent(ui -> ui.getPage().getHistory().replaceState(null, new Location("audit", parameters())));
    }

    private QueryParameters parameters() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        put(parameters, "user", user.getValue().strip());
        put(parameters, "vm", vm.getValue().strip());
        if (!actions.getValue().isEmpty()) {
            parameters.put("action", List.copyOf(new TreeSet<>(actions.getValue())));
        }
        put(parameters, "from", from.getValue() == null ? "" : from.getValue().toString());
        put(parameters, "to", to.getValue() == null ? "" : to.getValue().toString());
        put(parameters, "result", result.getValue() == null ? "" : result.getValue());
        return new QueryParameters(parameters);
    }

    private static void put(Map<String, List<String>> parameters, String name, String value) {
        if (!value.isEmpty()) {
            parameters.put(name, List.of(value));
        }
    }

    /** The filter lives in the URL, so a filtered log can be bookmarked and shared. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters();
        readingUrl = true;
        try {
            user.setValue(parameters.getSingleParameter("user").orElse(""));
            vm.setValue(parameters.getSingleParameter("vm").orElse(""));
            Set<String> chosen = new TreeSet<>(parameters.getParameters("action"));
            var known = new ArrayList<>(auditLog.actions());
            chosen.stream().filter(action -> !known.contains(action)).forEach(known::add);
            actions.setItems(known);
            actions.setValue(chosen);
            from.setValue(parameters
                    .getSingleParameter("from")
                    .map(AuditLogView::localTime)
                    .orElse(null));
            to.setValue(parameters
                    .getSingleParameter("to")
                    .map(AuditLogView::localTime)
                    .orElse(null));
            result.setValue(parameters
                    .getSingleParameter("result")
                    .filter(RESULTS::contains)
                    .orElse(null));
        } finally {
            readingUrl = false;
        }
        query = queryFromFields();
        grid.getDataProvider().refreshAll();
    }

    private static LocalDateTime localTime(String text) {
        try {
            return LocalDateTime.parse(text).truncatedTo(ChronoUnit.MINUTES);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant instant(LocalDateTime time) {
        return time == null ? null : time.atZone(ZONE).toInstant();
    }

    private boolean isAdmin() {
        var user = caller.authentication();
        return user != null
                && user.getAuthorities().stream().anyMatch(authority -> "ROLE_ADMIN".equals(authority.getAuthority()));
    }
}
