package org.kvmportal.access.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import org.kvmportal.access.LoginThrottledException;
import org.kvmportal.access.SignInRefusedException;
import org.kvmportal.access.sso.OidcSignInLink;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.WebAttributes;

@Route(value = "login", autoLayout = false)
@PageTitle("Sign in | KVM Portal")
@AnonymousAllowed
public class LoginView extends Main implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();

    LoginView(ObjectProvider<OidcSignInLink> singleSignOn) {
        addClassName("login-view");
        form.setAction("login");
        form.setForgotPasswordButtonVisible(false);
        var title = new H1("KVM Portal");
        var tagline = new Paragraph("Your virtual machines, in the browser.");
        add(title, tagline, form);
        singleSignOn.ifAvailable(link -> {
            // A plain link, not a router link: the flow leaves the portal for the identity provider.
            var anchor = new Anchor(link.path(), link.label());
            anchor.setRouterIgnore(true);
            anchor.setId("sso-oidc");
            anchor.addClassName("sso-link");
            add(anchor);
        });
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!event.getLocation().getQueryParameters().getParameters().containsKey("error")) {
            return;
        }
        var i18n = LoginI18n.createDefault();
        var error = new LoginI18n.ErrorMessage();
        var failure = lastFailure();
        if (failure instanceof LoginThrottledException throttled) {
            error.setTitle("Sign-in paused");
            error.setMessage(throttled.getMessage());
        } else if (failure instanceof SignInRefusedException refused) {
            error.setTitle("Sign-in refused");
            error.setMessage(refused.getMessage());
        } else if (failure instanceof OAuth2AuthenticationException) {
            error.setTitle("Single sign-on failed");
            error.setMessage("The identity provider did not confirm who you are. Try again, or sign in here.");
        } else if (failure instanceof AuthenticationServiceException) {
            error.setTitle("Sign-in unavailable");
            error.setMessage("The directory that checks passwords could not be reached. Try again later.");
        } else {
            error.setTitle("Wrong user name or password");
            error.setMessage("Check your user name and password and try again.");
        }
        i18n.setErrorMessage(error);
        form.setI18n(i18n);
        form.setError(true);
    }

    /** Spring Security leaves the reason for the last failed sign-in in the HTTP session. */
    private static Object lastFailure() {
        var request = VaadinServletRequest.getCurrent();
        if (request == null) {
            return null;
        }
        var session = request.getHttpServletRequest().getSession(false);
        return session == null ? null : session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
    }
}
