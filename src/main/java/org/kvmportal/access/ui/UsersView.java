package org.kvmportal.access.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import jakarta.annotation.security.RolesAllowed;
import java.util.Locale;
import java.util.TreeSet;
import org.kvmportal.access.ManagedUser;
import org.kvmportal.access.UserAdministration;

@Route("admin/users")
@PageTitle("Users | KVM Portal")
@Menu(title = "Users", order = 40, icon = "vaadin:users")
@RolesAllowed("ADMIN")
class UsersView extends VerticalLayout {

    private final TextField filter = new TextField();

    UsersView(UserAdministration users) {
        setSizeFull();
        filter.setId("user-filter");
        filter.setPlaceholder("Filter by name or e-mail");
        filter.setClearButtonVisible(true);
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        var grid = new Grid<ManagedUser>();
        grid.setId("user-grid");
        grid.addComponentColumn(user -> link(user.username()))
                .setHeader("User name")
                .setAutoWidth(true);
        grid.addColumn(ManagedUser::displayName).setHeader("Name").setAutoWidth(true);
        grid.addColumn(ManagedUser::email).setHeader("E-mail").setAutoWidth(true);
        grid.addColumn(user -> RoleChoice.labels(user.summary().roles()))
                .setHeader("Roles")
                .setAutoWidth(true);
        grid.addColumn(user -> String.join(", ", new TreeSet<>(user.groups())))
                .setHeader("Groups")
                .setAutoWidth(true);
        grid.addColumn(UsersView::state).setHeader("State").setAutoWidth(true);
        grid.addColumn(user -> user.source().name().toLowerCase(Locale.ROOT))
                .setHeader("Source")
                .setAutoWidth(true);
        // Lazy: each page is read from the database as the grid scrolls, never the whole list per session.
        grid.setItems(
                query -> users.list(filter.getValue(), query.getOffset(), query.getLimit()).stream(),
                query -> users.count(filter.getValue()));
        filter.addValueChangeListener(event -> grid.getDataProvider().refreshAll());
        var create = new Button("New user", event -> new NewUserDialog(users).open());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("new-user");
        add(new HorizontalLayout(new H2("Users"), create), filter, grid);
        setFlexGrow(1, grid);
    }

    static RouterLink link(String username) {
        return new RouterLink(username, UserView.class, new RouteParameters(UserView.USERNAME, username));
    }

    static String state(ManagedUser user) {
        if (!user.enabled()) {
            return "disabled";
        }
        return user.mustChangePassword() ? "enabled, must change password" : "enabled";
    }
}
