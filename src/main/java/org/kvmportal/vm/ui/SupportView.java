package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Optional;
import org.kvmportal.access.UserDirectory;
import org.kvmportal.access.UserSummary;
import org.kvmportal.base.ui.LiveUpdates;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.AssignedVm;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmChanges;
import org.kvmportal.vm.VmRight;
import org.kvmportal.vm.VmService;

/**
 * The help desk's page: find a user by name or e-mail, see their VMs, and act on them. Every action asks for
 * a reason, which goes into the audit log; consoles open view-only unless the staff member takes control.
 */
@Route("support")
@PageTitle("Support | KVM Portal")
@Menu(title = "Support", order = 5, icon = "vaadin:lifebuoy")
@RolesAllowed({"HELPDESK", "ADMIN"})
class SupportView extends VerticalLayout {

    private static final List<VmAction> SUPPORT_ACTIONS =
            List.of(VmAction.START, VmAction.REBOOT, VmAction.RESET, VmAction.FORCE_OFF, VmAction.REVERT);

    private final VmService vms;
    private final VmActionRunner runner;
    private final Grid<UserSummary> users = new Grid<>();
    private final Grid<AssignedVm> machines = new Grid<>();
    private final H3 machinesTitle = new H3();
    private UserSummary selected;

    SupportView(UserDirectory directory, VmService vms, VmChanges changes) {
        this.vms = vms;
        this.runner = new VmActionRunner(vms);
        ConsolePaths.preloadScreenConsole(this);
        setSizeFull();
        var search = new TextField();
        search.setId("support-search");
        search.setPlaceholder("Find a user by name or e-mail");
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setWidth("30em");
        search.addValueChangeListener(event -> showUsers(directory.search(event.getValue(), 50)));
        users.setId("support-users");
        users.addColumn(UserSummary::username).setHeader("User name");
        users.addColumn(UserSummary::displayName).setHeader("Name");
        users.addColumn(UserSummary::email).setHeader("E-mail");
        users.addColumn(user -> user.enabled() ? "Active" : "Disabled").setHeader("Account");
        users.setHeight("14em");
        users.addSelectionListener(event -> {
            selected = event.getFirstSelectedItem().orElse(null);
            showMachines();
        });
        users.setItems(directory.search("", 50));
        machines.setId("support-vms");
        machines.addColumn(assigned -> assigned.vm().name()).setHeader("Virtual machine");
        machines.addColumn(assigned -> assigned.vm().ref().host()).setHeader("Host");
        machines.addComponentColumn(assigned -> StateBadge.of(
                        assigned.vm(), vms.runningAction(assigned.vm().ref())))
                .setHeader("State");
        machines.addColumn(assigned -> assigned.level().label()).setHeader("Their access");
        machines.addComponentColumn(assigned -> actions(assigned.vm()))
                .setHeader("Actions")
                .setFlexGrow(3);
        add(new H2("Support"), search, users, machinesTitle, machines);
        setFlexGrow(1, machines);
        showMachines();
        LiveUpdates.bind(this, changes::subscribe, this::showMachines);
    }

    /** Keeps the chosen user chosen while the search narrows, and chooses the only match by itself. */
    private void showUsers(List<UserSummary> found) {
        String before = selected == null ? null : selected.username();
        users.setItems(found);
        found.stream()
                .filter(user -> user.username().equals(before))
                .findFirst()
                .or(() -> found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty())
                .ifPresent(users::select);
    }

    private void showMachines() {
        machinesTitle.setText(
                selected == null ? "Choose a user to see their machines" : "Machines of " + selected.displayName());
        machines.setItems(selected == null ? List.of() : vms.vmsOf(selected.username()));
    }

    private HorizontalLayout actions(DomainSummary vm) {
        var row = new HorizontalLayout();
        row.getElement().setAttribute("data-vm", vm.name());
        for (VmAction action : vms.offeredActions(vm)) {
            if (SUPPORT_ACTIONS.contains(action)) {
                row.add(new Button(action.label(), event -> runner.run(UI.getCurrent(), action, List.of(vm))));
            }
        }
        if (vm.state().isActive() && vms.rights(vm.ref()).contains(VmRight.WATCH_CONSOLE)) {
            row.add(new Button("Watch console", event -> UI.getCurrent().navigate(ConsolePaths.of(vm.ref()))));
        }
        return row;
    }
}
