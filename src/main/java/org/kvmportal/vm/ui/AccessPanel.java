package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.vm.VmAssignments;
import org.kvmportal.vm.VmGrant;
import org.kvmportal.vm.VmService;

/** For admins on a VM's page: who it is assigned to, and which snapshot is its clean state. */
final class AccessPanel extends VerticalLayout {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
    private static final String NO_CLEAN_STATE = "(none)";

    private final VmAssignments assignments;
    private final VmService vms;
    private final DomainRef vm;
    private final Grid<VmGrant> grants = new Grid<>();
    private final Select<String> cleanState = new Select<>();

    AccessPanel(VmAssignments assignments, VmService vms, DomainRef vm, UI ui) {
        this.assignments = assignments;
        this.vms = vms;
        this.vm = vm;
        setId("vm-access");
        setPadding(false);
        grants.setId("vm-grants");
        grants.addColumn(grant -> grant.grantee().label()).setHeader("User or @group");
        grants.addColumn(grant -> grant.level().label()).setHeader("Level");
        grants.addColumn(VmGrant::grantedBy).setHeader("Assigned by");
        grants.addColumn(grant -> TIME.format(grant.grantedAt())).setHeader("Since");
        grants.addComponentColumn(this::removeButton).setFlexGrow(0).setAutoWidth(true);
        grants.setAllRowsVisible(true);
        grants.setEmptyStateText("Not assigned: only administrators see it.");
        var picker = new GranteePicker(assignments);
        var assign = new Button(
                "Assign",
                event -> Notices.attempt(
                        () -> assignments.assign(List.of(vm), picker.grantee(), picker.level()), this::showGrants));
        assign.setId("assign");
        assign.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var form = new HorizontalLayout(picker, assign);
        form.setAlignItems(Alignment.BASELINE);
        add(new H3("Assigned to"), grants, form, cleanStateSection(ui));
        showGrants();
    }

    private VerticalLayout cleanStateSection(UI ui) {
        cleanState.setLabel("Clean state (\"Reset to clean state\" reverts to it)");
        cleanState.setId("clean-state");
        cleanState.setWidth("24em");
        var mark = new Button("Save", event -> {
            String chosen = NO_CLEAN_STATE.equals(cleanState.getValue()) ? null : cleanState.getValue();
            vms.markClean(vm, chosen)
                    .whenComplete((ok, error) -> ui.access(() -> Notices.show(
                            error == null ? "Clean state saved." : VmService.messageOf(error), error != null)));
        });
        mark.setId("save-clean-state");
        vms.snapshotNames(vm)
                .whenComplete((names, error) -> ui.access(() -> {
                    if (error != null) {
                        cleanState.setHelperText(VmService.messageOf(error));
                        return;
                    }
                    var choices = new ArrayList<String>();
                    choices.add(NO_CLEAN_STATE);
                    choices.addAll(names);
                    cleanState.setItems(choices);
                    cleanState.setValue(vms.cleanSnapshot(vm).orElse(NO_CLEAN_STATE));
                    cleanState.setHelperText(names.isEmpty() ? "This machine has no snapshots." : null);
                }));
        var row = new HorizontalLayout(cleanState, mark);
        row.setAlignItems(Alignment.BASELINE);
        var section = new VerticalLayout(new H3("Clean state"), row);
        section.setPadding(false);
        return section;
    }

    private Button removeButton(VmGrant grant) {
        return Notices.removeButton(
                () -> Notices.attempt(() -> assignments.revoke(List.of(vm), grant.grantee()), this::showGrants));
    }

    private void showGrants() {
        grants.setItems(assignments.grantsOn(vm));
    }
}
