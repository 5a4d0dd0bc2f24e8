package org.kvmportal.access.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import org.kvmportal.access.GroupAdministration;
import org.kvmportal.access.GroupChanges;
import org.kvmportal.access.ManagedGroup;
import org.kvmportal.access.ManagedUser;
import org.kvmportal.access.Role;
import org.kvmportal.access.UserAdministration;
import org.kvmportal.base.ui.FieldErrors;

/** One group: name, description, the roles and quotas it gives, and its members. */
@Route("admin/groups/:" + GroupView.ID + "([0-9]{1,18})")
@PageTitle("Group | KVM Portal")
@RolesAllowed("ADMIN")
class GroupView extends VerticalLayout implements BeforeEnterObserver {

    static final String ID = "id";

    private final GroupAdministration groups;
    private final H2 title = new H2();
    private final TextField name = new TextField("Name");
    private final TextField description = new TextField("Description");
    private final CheckboxGroup<Role> roles = RoleChoice.of("Roles its members get", "group-roles");
    private final QuotaFields quotas = new QuotaFields();
    private final Grid<String> members = new Grid<>();
    private final ComboBox<String> newMember = new ComboBox<>("Add member");
    private final FieldErrors errors = new FieldErrors();
    private long id;

    GroupView(GroupAdministration groups, UserAdministration users) {
        this.groups = groups;
        title.setId("group-title");
        name.setId("group-name");
        description.setId("group-description");
        description.setWidthFull();
        errors.bind("name", name)
                .bind("description", description)
                .bind("roles", roles)
                .bind("members", newMember);
        quotas.bindTo(errors);
        var save = new Button("Save", event -> save());
        save.setId("save-group");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var delete = new Button("Delete", event -> confirmDelete());
        delete.setId("delete-group");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);

        members.setId("member-grid");
        members.addColumn(username -> username).setHeader("Member").setAutoWidth(true);
        members.addComponentColumn(this::removeButton).setHeader("").setFlexGrow(0);
        members.setAllRowsVisible(true);
        newMember.setId("add-member");
        newMember.setItems(
                query -> users.list(query.getFilter().orElse(""), query.getOffset(), query.getLimit()).stream()
                        .map(ManagedUser::username));
        var add = new Button("Add", event -> addMember());
        add.setId("add-member-button");
        var addRow = new HorizontalLayout(newMember, add);
        addRow.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        add(
                title,
                new FormLayout(name, description, roles),
                new Span("Quotas"),
                quotas,
                new HorizontalLayout(save, delete),
                new H3("Members"),
                addRow,
                members);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        id = event.getRouteParameters().getLong(ID).orElse(-1L);
        var group = groups.find(id);
        if (group.isEmpty()) {
            Notification.show("That group no longer exists.");
            event.forwardTo(GroupsView.class);
            return;
        }
        show(group.get());
    }

    private void show(ManagedGroup group) {
        title.setText("Group " + group.name());
        name.setValue(group.name());
        description.setValue(group.description() == null ? "" : group.description());
        roles.setValue(group.roles());
        quotas.setValue(group.quotas());
        members.setItems(group.members());
    }

    private void save() {
        var changes = new GroupChanges(name.getValue(), description.getValue(), roles.getValue(), quotas.value());
        if (errors.attempt(() -> groups.update(id, changes))) {
            Notification.show("Saved.");
            reload();
        }
    }

    private void addMember() {
        String username = newMember.getValue();
        if (username != null && errors.attempt(() -> groups.addMember(id, username))) {
            newMember.clear();
            reload();
        }
    }

    private Button removeButton(String username) {
        var remove = new Button("Remove", event -> {
            if (errors.attempt(() -> groups.removeMember(id, username))) {
                reload();
            }
        });
        remove.setId("remove-member-" + username);
        return remove;
    }

    private void confirmDelete() {
        ConfirmDialog.open(
                "Delete group " + name.getValue() + "?",
                "Its members lose the roles, quotas and VM grants it gave them. The accounts stay.",
                "Delete",
                "confirm-delete-group",
                () -> {
                    if (errors.attempt(() -> groups.delete(id))) {
                        Notification.show("Group deleted.");
                        getUI().ifPresent(ui -> ui.navigate(GroupsView.class));
                    }
                });
    }

    private void reload() {
        groups.find(id).ifPresent(this::show);
    }
}
