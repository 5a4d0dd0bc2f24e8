package org.kvmportal.base.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.page.ColorScheme;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/**
 * The frame around every signed-in view. The menu is built from {@code @Menu} routes the user may enter,
 * so each role sees only what it may use.
 */
@Layout
@PermitAll
public final class MainLayout extends AppLayout {

    private final SignedInPreferences preferences;
    private final Button themeToggle = new Button();

    MainLayout(AuthenticationContext authentication, SignedInPreferences preferences) {
        this.preferences = preferences;
        setPrimarySection(Section.DRAWER);

        var brand = new Span("KVM Portal");
        brand.addClassName("brand");
        addToDrawer(brand, new Scroller(menu()));

        var user = new Span(preferences.displayName());
        user.setId("signed-in-user");
        themeToggle.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        themeToggle.setId("theme-toggle");
        themeToggle.addClickListener(event -> setDark(!preferences.prefersDarkTheme()));
        var logout = new Button("Sign out", new Icon(VaadinIcon.SIGN_OUT), event -> authentication.logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        logout.setId("sign-out");
        var spacer = new Div();
        spacer.addClassName("spacer");
        addToNavbar(new DrawerToggle(), spacer, user, themeToggle, logout);
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        applyScheme(preferences.prefersDarkTheme());
    }

    private void setDark(boolean dark) {
        preferences.setDarkTheme(dark);
        applyScheme(dark);
    }

    private void applyScheme(boolean dark) {
        getUI().ifPresent(ui -> ui.getPage().setColorScheme(dark ? ColorScheme.Value.DARK : ColorScheme.Value.LIGHT));
        themeToggle.setIcon(new Icon(dark ? VaadinIcon.SUN_O : VaadinIcon.MOON_O));
        themeToggle.setAriaLabel(dark ? "Switch to light theme" : "Switch to dark theme");
        themeToggle.setTooltipText(dark ? "Light theme" : "Dark theme");
    }

    private static SideNav menu() {
        var nav = new SideNav();
        nav.setId("main-menu");
        MenuConfiguration.getMenuEntries()
                .forEach(entry -> nav.addItem(
                        entry.icon() == null
                                ? new SideNavItem(entry.title(), entry.path())
                                : new SideNavItem(entry.title(), entry.path(), new Icon(entry.icon()))));
        return nav;
    }
}
