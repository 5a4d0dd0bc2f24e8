package org.kvmportal.access.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.RouteParameters;
import java.util.Set;
import org.kvmportal.access.NewUser;
import org.kvmportal.access.Role;
import org.kvmportal.access.UserAdministration;
import org.kvmportal.base.ui.FieldErrors;

/** Creates a local account with a first password the user must replace when they sign in. */
final class NewUserDialog extends Dialog {

    NewUserDialog(UserAdministration users) {
        setHeaderTitle("New user");
        var username = new TextField("User name");
        username.setId("new-username");
        username.setHelperText("a-z, 0-9, dot, underscore, hyphen");
        var displayName = new TextField("Display name");
        displayName.setId("new-display-name");
        var email = new EmailField("E-mail (optional)");
        email.setId("new-email");
        var roles = RoleChoice.of("Roles", "new-roles");
        roles.setValue(Set.of(Role.USER));
        var password = new PasswordField("First password");
        password.setId("new-password");
        password.setHelperText("At least 12 characters and at most 72 bytes; the user must change it at first sign-in");
        var errors = new FieldErrors()
                .bind("username", username)
                .bind("displayName", displayName)
                .bind("email", email)
                .bind("roles", roles)
                .bind("password", password);
        add(new FormLayout(username, displayName, email, password, roles));
        var create = new Button("Create", event -> {
            String name = username.getValue().strip();
            boolean created = errors.attempt(() -> users.create(new NewUser(
                    name, displayName.getValue(), email.getValue(), roles.getValue(), password.getValue())));
            if (created) {
                close();
                UI.getCurrent().navigate(UserView.class, new RouteParameters(UserView.USERNAME, name));
            }
        });
        create.setId("create-user");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", event -> close()), create);
    }
}
