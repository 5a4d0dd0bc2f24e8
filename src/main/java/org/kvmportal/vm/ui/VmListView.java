package org.kvmportal.vm.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.Locale;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.VmChanges;
import org.kvmportal.vm.VmService;

/** The first VM list: name, host and live state of every VM the user may see. */
@Route("")
@PageTitle("Virtual machines | KVM Portal")
@Menu(title = "Virtual machines", order = 0, icon = "vaadin:desktop")
@PermitAll
class VmListView extends VerticalLayout {

    private final VmService vms;
    private final VmChanges changes;
    private final Grid<DomainSummary> grid = new Grid<>();
    private final TextField filter = new TextField();
    private Runnable unsubscribe = () -> {};

    VmListView(VmService vms, VmChanges changes) {
        this.vms = vms;
        this.changes = changes;
        setSizeFull();
        filter.setPlaceholder("Filter by name or host");
        filter.setClearButtonVisible(true);
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(event -> refresh());
        grid.addColumn(DomainSummary::name).setHeader("Name").setSortable(true).setFlexGrow(2);
        grid.addColumn(vm -> vm.ref().host()).setHeader("Host").setSortable(true);
        grid.addComponentColumn(VmListView::stateBadge)
                .setHeader("State")
                .setComparator(vm -> vm.state().label());
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setEmptyStateText("No virtual machines to show.");
        grid.setId("vm-grid");
        add(new H2("Virtual machines"), filter, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        var ui = attachEvent.getUI();
        unsubscribe = changes.subscribe(() -> ui.access(this::refresh));
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        unsubscribe.run();
    }

    private void refresh() {
        String text = filter.getValue().strip().toLowerCase(Locale.ROOT);
        grid.setItems(vms.visibleVms().stream()
                .filter(vm -> text.isEmpty()
                        || vm.name().toLowerCase(Locale.ROOT).contains(text)
                        || vm.ref().host().toLowerCase(Locale.ROOT).contains(text))
                .toList());
    }

    /** Text only, never HTML: names and states come from libvirt and may contain markup. */
    private static Span stateBadge(DomainSummary vm) {
        var badge = new Span(vm.state().label());
        badge.getElement().getThemeList().add("badge");
        badge.getElement().setAttribute("data-state", vm.state().name());
        switch (vm.state()) {
            case RUNNING -> badge.getElement().getThemeList().add("success");
            case CRASHED, UNKNOWN -> badge.getElement().getThemeList().add("error");
            case SHUT_OFF -> badge.getElement().getThemeList().add("contrast");
            default -> {}
        }
        return badge;
    }
}
