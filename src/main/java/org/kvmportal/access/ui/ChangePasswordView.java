package org.kvmportal.access.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import org.kvmportal.access.PasswordChange;
import org.kvmportal.base.ui.FieldErrors;

/**
 * The signed-in user's own password. After an admin's reset (or a new account) {@link PasswordChangeGuard}
 * sends every navigation here until a new password is set.
 */
@Route("change-password")
@PageTitle("Change password | KVM Portal")
@Menu(title = "Change password", order = 90, icon = "vaadin:key")
@PermitAll
class ChangePasswordView extends VerticalLayout {

    ChangePasswordView(PasswordChange passwords) {
        setMaxWidth("32rem");
        add(new H2("Change password"));
        if (!passwords.possible()) {
            add(new Paragraph("You sign in through single sign-on: change your password there."));
            return;
        }
        var notice = new Paragraph("Your password was set by an administrator. Choose a new one to continue.");
        notice.setId("password-change-required");
        notice.setVisible(passwords.required());
        var current = field("Current password", "current-password");
        var fresh = field("New password", "new-password");
        fresh.setHelperText("At least 12 characters and at most 72 bytes, not your current one");
        var repeat = field("New password again", "repeat-password");
        var errors = new FieldErrors().bind("currentPassword", current).bind("newPassword", fresh);
        var change = new Button("Change password", event -> {
            if (!fresh.getValue().equals(repeat.getValue())) {
                errors.clear();
                repeat.setErrorMessage("The two new passwords differ.");
                repeat.setInvalid(true);
                return;
            }
            repeat.setInvalid(false);
            if (errors.attempt(() -> passwords.change(current.getValue(), fresh.getValue()))) {
                Notification.show("Your password is changed.");
                getUI().ifPresent(ui -> ui.navigate(""));
            }
        });
        change.setId("change-password-button");
        change.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(notice, current, fresh, repeat, change);
    }

    private static PasswordField field(String label, String id) {
        var field = new PasswordField(label);
        field.setId(id);
        field.setWidthFull();
        return field;
    }
}
