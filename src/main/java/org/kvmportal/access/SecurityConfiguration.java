package org.kvmportal.access;

import com.vaadin.flow.spring.security.RequestUtil;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.kvmportal.access.ui.LoginView;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

@Configuration
@EnableWebSecurity
@EnableMethodSecurity
class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(
            HttpSecurity http,
            ThrottlingAuthenticationProvider passwords,
            ObjectProvider<SignInExtension> extensions,
            RequestUtil vaadinRequests)
            throws Exception {
        http.authenticationProvider(passwords);
        // This chain's providers only. Spring also puts a lone AuthenticationProvider bean into the global
        // manager, this chain's parent: a wrong password then went through the throttle twice (locked after 3).
        http.getSharedObject(AuthenticationManagerBuilder.class).parentAuthenticationManager(null);
        // Single sign-on (access.sso), when configured: before Vaadin's configurer, which ends with denyAll().
        for (var extension : extensions.orderedStream().toList()) {
            extension.configure(http);
        }
        // Same values as SecurityHeaders, so that neither source overrides the other with something weaker.
        http.headers(headers -> headers.frameOptions(frame -> frame.sameOrigin())
                .contentSecurityPolicy(csp -> csp.policyDirectives(SecurityHeaders.FRAME_ANCESTORS))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
        // A new session id at sign-in defeats session fixation; Spring's default, stated to keep it so.
        http.sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()));
        // Vaadin's configurer ends with denyAll(): rules for our own endpoints must come before it.
        http.authorizeHttpRequests(requests -> requests
                // Console WebSockets: the handshake itself checks the ticket, its session and the user, and
                // answers 403 when anything is wrong (a redirect to the login page would mean nothing there).
                .requestMatchers("/console/ws/**")
                .permitAll()
                // Published browser libraries and the console's own script: nothing secret.
                .requestMatchers("/webjars/**", "/console/*.js", "/console/*.css")
                .permitAll());
        // CSRF tokens everywhere but on Vaadin's own requests, which carry Vaadin's token in their payload.
        // Vaadin's configurer also exempts the login form's POST, so that a foreign page could sign a browser
        // in as the attacker (login CSRF), hence our own rule instead of its. The login form still works:
        // Vaadin's LoginForm copies the token from the page's _csrf meta tags into the form it posts.
        http.csrf(csrf -> csrf.ignoringRequestMatchers(vaadinRequests::isFrameworkInternalRequest));
        http.with(
                VaadinSecurityConfigurer.vaadin(),
                vaadin -> vaadin.loginView(LoginView.class).enableCsrfConfiguration(false));
        return http.build();
    }

    @Bean
    FilterRegistrationBean<SecurityHeaders> securityHeaders() {
        var registration = new FilterRegistrationBean<>(new SecurityHeaders());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }
}
