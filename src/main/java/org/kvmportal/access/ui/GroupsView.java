package org.kvmportal.access.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import jakarta.annotation.security.RolesAllowed;
import org.kvmportal.access.GroupAdministration;
import org.kvmportal.access.ManagedGroup;
import org.kvmportal.base.ui.FieldErrors;

@Route("admin/groups")
@PageTitle("Groups | KVM Portal")
@Menu(title = "Groups", order = 41, icon = "vaadin:group")
@RolesAllowed("ADMIN")
class GroupsView extends VerticalLayout {

    private final GroupAdministration groups;

    GroupsView(GroupAdministration groups) {
        this.groups = groups;
        setSizeFull();
        var grid = new Grid<ManagedGroup>();
        grid.setId("group-grid");
        grid.addComponentColumn(GroupsView::link).setHeader("Name").setAutoWidth(true);
        grid.addColumn(ManagedGroup::description).setHeader("Description").setFlexGrow(1);
        grid.addColumn(group -> RoleChoice.labels(group.roles()))
                .setHeader("Roles")
                .setAutoWidth(true);
        grid.addColumn(group -> group.members().size()).setHeader("Members").setAutoWidth(true);
        // Groups are few (tens, not thousands): one list per visit is enough.
        grid.setItems(groups.list());
        var create = new Button("New group", event -> openNewGroup());
        create.setId("new-group");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new HorizontalLayout(new H2("Groups"), create), grid);
        setFlexGrow(1, grid);
    }

    private void openNewGroup() {
        var dialog = new Dialog();
        dialog.setHeaderTitle("New group");
        var name = new TextField("Name");
        name.setId("new-group-name");
        var description = new TextField("Description (optional)");
        description.setId("new-group-description");
        var errors = new FieldErrors().bind("name", name).bind("description", description);
        dialog.add(new VerticalLayout(name, description));
        var create = new Button("Create", event -> {
            long[] id = new long[1];
            if (errors.attempt(() -> id[0] = groups.create(name.getValue(), description.getValue()))) {
                dialog.close();
                UI.getCurrent().navigate(GroupView.class, new RouteParameters(GroupView.ID, Long.toString(id[0])));
            }
        });
        create.setId("create-group");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", event -> dialog.close()), create);
        dialog.open();
    }

    private static RouterLink link(ManagedGroup group) {
        return new RouterLink(
                group.name(), GroupView.class, new RouteParameters(GroupView.ID, Long.toString(group.id())));
    }
}
