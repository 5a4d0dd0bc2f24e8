package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.Grantee;
import org.kvmportal.vm.VmAccessLevel;
import org.kvmportal.vm.VmAssignments;
import org.kvmportal.vm.VmGrant;
import org.kvmportal.vm.VmQuery;
import org.kvmportal.vm.VmService;

/** For admins, from a user's page: the VMs assigned to that user, to add and withdraw. */
@Route("admin/users/:username/vms")
@PageTitle("Virtual machines of a user | KVM Portal")
@RolesAllowed("ADMIN")
class UserVmsView extends VerticalLayout implements BeforeEnterObserver {

    private final VmAssignments assignments;
    private final VmService vms;
    private final H2 title = new H2();
    private final Grid<VmGrant> grants = new Grid<>();
    private final ComboBox<DomainSummary> vm = new ComboBox<>("Virtual machine");
    private final Select<VmAccessLevel> level = new Select<>();
    private Grantee.User user;

    UserVmsView(VmAssignments assignments, VmService vms) {
        this.assignments = assignments;
        this.vms = vms;
        grants.setId("user-vm-grants");
        grants.addColumn(grant -> vms.find(grant.vm())
                        .map(DomainSummary::name)
                        .orElse("(gone) " + grant.vm().uuid()))
                .setHeader("Virtual machine");
        grants.addColumn(grant -> grant.vm().host()).setHeader("Host");
        grants.addColumn(grant -> grant.level().label()).setHeader("Level");
        grants.addComponentColumn(this::removeButton).setFlexGrow(0).setAutoWidth(true);
        grants.setEmptyStateText("No virtual machines are assigned to this user directly.");
        vm.setId("user-vm-choice");
        vm.setItemLabelGenerator(
                summary -> summary.name() + " (" + summary.ref().host() + ")");
        vm.setWidth("24em");
        level.setLabel("Level");
        level.setItems(VmAccessLevel.values());
        level.setItemLabelGenerator(VmAccessLevel::label);
        level.setValue(VmAccessLevel.CONSOLE);
        var assign = new Button(
                "Assign",
                event -> Notices.attempt(
                        () -> assignments.assign(
                                vm.getValue() == null
                                        ? List.of()
                                        : List.of(vm.getValue().ref()),
                                user,
                                level.getValue()),
                        this::showGrants));
        assign.setId("user-vm-assign");
        assign.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var form = new HorizontalLayout(vm, level, assign);
        form.setAlignItems(Alignment.BASELINE);
        add(title, form, grants);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String username = event.getRouteParameters().get("username").orElse("");
        user = new Grantee.User(username);
        title.setText("Virtual machines of " + username);
        add(new Anchor("admin/users/" + username, "Back to " + username));
        vm.setItems(vms.find(VmQuery.ALL, 0, Integer.MAX_VALUE));
        showGrants();
    }

    private Button removeButton(VmGrant grant) {
        return Notices.removeButton(() ->
                Notices.attempt(() -> assignments.revoke(List.of(grant.vm()), user), this::showGrants));
    }

    private void showGrants() {
        grants.setItems(assignments.grantsOfUser(user.name()));
    }
}
