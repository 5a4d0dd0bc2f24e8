package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import java.util.List;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.VmAssignments;

/** For admins: assign the selected VMs to a user or group at a level, or withdraw their access. */
final class AssignDialog extends Dialog {

    AssignDialog(VmAssignments assignments, List<DomainSummary> vms, Runnable changed) {
        setHeaderTitle("Access to " + (vms.size() == 1 ? vms.getFirst().name() : vms.size() + " virtual machines"));
        setId("assign-dialog");
        var picker = new GranteePicker(assignments);
        add(picker, new Paragraph("Assigning replaces the level the user or group had on these machines."));
        var refs = vms.stream().map(DomainSummary::ref).toList();
        var assign = new Button(
                "Assign", event -> apply(() -> assignments.assign(refs, picker.grantee(), picker.level()), changed));
        assign.setId("assign-selected");
        assign.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var revoke =
                new Button("Remove access", event -> apply(() -> assignments.revoke(refs, picker.grantee()), changed));
        revoke.setId("revoke-selected");
        revoke.addThemeVariants(ButtonVariant.LUMO_ERROR);
        getFooter().add(new Button("Cancel", event -> close()), revoke, assign);
    }

    private void apply(Runnable change, Runnable changed) {
        Notices.attempt(change, () -> {
            close();
            Notices.show("Access changed.", false);
            changed.run();
        });
    }
}
