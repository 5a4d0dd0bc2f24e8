package org.kvmportal.access.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import java.util.Locale;
import java.util.TreeSet;
import org.kvmportal.access.AuthSource;
import org.kvmportal.access.ManagedUser;
import org.kvmportal.access.Role;
import org.kvmportal.access.UserAdministration;
import org.kvmportal.access.UserChanges;
import org.kvmportal.base.ui.FieldErrors;

/** One user: details, roles, quotas, enable or disable, password reset, delete. */
@Route("admin/users/:" + UserView.USERNAME)
@PageTitle("User | KVM Portal")
@RolesAllowed("ADMIN")
class UserView extends VerticalLayout implements BeforeEnterObserver {

    static final String USERNAME = "username";

    private final UserAdministration users;
    private final H2 title = new H2();
    private final Span state = new Span();
    private final Paragraph facts = new Paragraph();
    private final TextField displayName = new TextField("Display name");
    private final EmailField email = new EmailField("E-mail");
    private final CheckboxGroup<Role> roles = RoleChoice.of("Roles", "user-roles");
    /** A plain URL: a user's VM list belongs to another feature's views. */
    private final Anchor vms = new Anchor("", "Virtual machines of this user");

    private final QuotaFields quotas = new QuotaFields();
    private final Button toggle = new Button();
    private final Button resetPassword = new Button("Reset password");
    private final FieldErrors errors = new FieldErrors();
    private String username;

    UserView(UserAdministration users) {
        this.users = users;
        title.setId("user-title");
        state.setId("user-state");
        facts.setId("user-facts");
        vms.setId("user-vms-link");
        displayName.setId("user-display-name");
        email.setId("user-email");
        errors.bind("displayName", displayName).bind("email", email).bind("roles", roles);
        quotas.bindTo(errors);
        var save = new Button("Save", event -> save());
        save.setId("save-user");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        toggle.setId("toggle-enabled");
        toggle.addClickListener(event -> toggleEnabled());
        resetPassword.setId("reset-password");
        resetPassword.addClickListener(event -> new ResetPasswordDialog(users, username, this::reload).open());
        var delete = new Button("Delete", event -> confirmDelete());
        delete.setId("delete-user");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        var form = new FormLayout(displayName, email, roles);
        add(
                new HorizontalLayout(title, state),
                facts,
                form,
                new Span("Quotas"),
                quotas,
                new HorizontalLayout(save, toggle, resetPassword, delete),
                vms);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        username = event.getRouteParameters().get(USERNAME).orElse("");
        var user = users.find(username);
        if (user.isEmpty()) {
            Notification.show("There is no user named " + username + ".");
            event.forwardTo(UsersView.class);
            return;
        }
        show(user.get());
    }

    private void show(ManagedUser user) {
        title.setText(user.username());
        state.setText(UsersView.state(user));
        String groups = user.groups().isEmpty() ? "none" : String.join(", ", new TreeSet<>(user.groups()));
        String fromGroups =
                user.groupRoles().isEmpty() ? "" : " (roles from groups: " + RoleChoice.labels(user.groupRoles()) + ")";
        facts.setText("Signs in: " + user.source().name().toLowerCase(Locale.ROOT) + ". Groups: " + groups + fromGroups
                + ".");
        displayName.setValue(user.displayName());
        email.setValue(user.email() == null ? "" : user.email());
        roles.setValue(user.roles());
        quotas.setValue(user.quotas());
        toggle.setText(user.enabled() ? "Disable" : "Enable");
        resetPassword.setVisible(user.source() == AuthSource.LOCAL);
        vms.setHref("admin/users/" + user.username() + "/vms");
    }

    private void save() {
        var changes = new UserChanges(displayName.getValue(), email.getValue(), roles.getValue(), quotas.value());
        if (errors.attempt(() -> users.update(username, changes))) {
            Notification.show("Saved.");
            reload();
        }
    }

    private void toggleEnabled() {
        boolean enable = toggle.getText().equals("Enable");
        if (errors.attempt(() -> users.setEnabled(username, enable))) {
            Notification.show(enable ? username + " may sign in again." : username + " is disabled and signed out.");
            reload();
        }
    }

    private void confirmDelete() {
        ConfirmDialog.open(
                "Delete user " + username + "?",
                "The account, its group memberships and its VM grants are removed. Audit entries stay.",
                "Delete",
                "confirm-delete-user",
                () -> {
                    if (errors.attempt(() -> users.delete(username))) {
                        Notification.show("User " + username + " deleted.");
                        getUI().ifPresent(ui -> ui.navigate(UsersView.class));
                    }
                });
    }

    private void reload() {
        users.find(username).ifPresent(this::show);
    }
}
