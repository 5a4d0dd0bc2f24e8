package org.kvmportal.access.sso;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.UUID;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * A real OpenID provider for the tests: Spring Security's authorization server in a small Spring Boot
 * application of its own, on a random port of {@code localhost}, with a login form and these users. Their ID
 * tokens carry {@code preferred_username}, {@code name}, {@code email} and a {@code roles} claim with the
 * user's groups.
 */
final class OpenIdProvider implements AutoCloseable {

    static final String CLIENT_ID = "kvm-portal";
    static final String CLIENT_SECRET = "portal-secret-for-tests";

    /** A user of the provider: password is the name followed by "-idp-pass". */
    record Person(String username, String displayName, String... groups) {
        String password() {
            return username + "-idp-pass";
        }
    }

    static final Person OLIVIA = new Person("olivia", "Olivia Admin", "portal-admins", "staff");
    static final Person OSCAR = new Person("oscar", "Oscar User", "portal-users");
    static final Person NINA = new Person("nina", "Nina Nobody", "staff");
    /** Named like the portal's local demo admin. */
    static final Person IMPOSTOR = new Person("admin", "Not The Admin", "portal-admins");

    private final ConfigurableApplicationContext context;

    private OpenIdProvider(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static OpenIdProvider start() {
        var context = new SpringApplicationBuilder(Provider.class)
                .run(
                        "--spring.config.name=openid-provider-none",
                        "--server.port=0",
                        "--server.servlet.session.cookie.name=IDPSESSION",
                        "--spring.main.banner-mode=off");
        return new OpenIdProvider(context);
    }

    /** The issuer, as the portal is configured with it (and as the provider names itself). */
    String issuer() {
        return "http://localhost:"
                + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        context.close();
    }

    /** A test configuration, so the portal's own component scan never picks it up. */
    @TestConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        SecurityAutoConfiguration.class,
        SecurityFilterAutoConfiguration.class
    })
    @EnableWebSecurity
    static class Provider {

        private final RSAKey key = newKey();

        /** The protocol endpoints; a browser that must sign in first is sent to the login page. */
        @Bean
        @Order(1)
        SecurityFilterChain protocol(HttpSecurity http) throws Exception {
            http.oauth2AuthorizationServer(server -> {
                        http.securityMatcher(server.getEndpointsMatcher());
                        server.oidc(Customizer.withDefaults());
                    })
                    .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    // The user info endpoint takes the access token as a bearer token.
                    .oauth2ResourceServer(resource -> resource.jwt(Customizer.withDefaults()))
                    .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                            new LoginUrlAuthenticationEntryPoint("/login"),
                            new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
            return http.build();
        }

        /** Everything else, the login form included. */
        @Bean
        @Order(2)
        SecurityFilterChain signIn(HttpSecurity http) throws Exception {
            http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults());
            return http.build();
        }

        /**
         * Whatever strategy is global when a request comes in. The portal, started later in the same JVM,
         * replaces the global strategy with Vaadin's; the authorization server reads the global one
         * statically, so its filters must not keep the one they found at start-up.
         */
        @Bean
        SecurityContextHolderStrategy currentGlobalStrategy() {
            return new SecurityContextHolderStrategy() {
                @Override
                public void clearContext() {
                    SecurityContextHolder.getContextHolderStrategy().clearContext();
                }

                @Override
                public org.springframework.security.core.context.SecurityContext getContext() {
                    return SecurityContextHolder.getContextHolderStrategy().getContext();
                }

                @Override
                public void setContext(org.springframework.security.core.context.SecurityContext context) {
                    SecurityContextHolder.getContextHolderStrategy().setContext(context);
                }

                @Override
                public org.springframework.security.core.context.SecurityContext createEmptyContext() {
                    return SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
                }
            };
        }

        @Bean
        UserDetailsService people() {
            var manager = new InMemoryUserDetailsManager();
            for (Person person : new Person[] {OLIVIA, OSCAR, NINA, IMPOSTOR}) {
                manager.createUser(User.withUsername(person.username())
                        .password("{noop}" + person.password())
                        .authorities(person.groups())
                        .build());
            }
            return manager;
        }

        @Bean
        RegisteredClientRepository clients() {
            var portal = RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(CLIENT_ID)
                    .clientSecret("{noop}" + CLIENT_SECRET)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    // A loopback address: the provider accepts it on any port (RFC 8252), the portal's is random.
                    .redirectUri("http://127.0.0.1/login/oauth2/code/oidc")
                    .scope(OidcScopes.OPENID)
                    .scope(OidcScopes.PROFILE)
                    .scope(OidcScopes.EMAIL)
                    .clientSettings(ClientSettings.builder()
                            .requireAuthorizationConsent(false)
                            .build())
                    .build();
            return new InMemoryRegisteredClientRepository(portal);
        }

        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> idTokenClaims() {
            return context -> {
                if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                    return;
                }
                var user = context.getPrincipal();
                var person = java.util.stream.Stream.of(OLIVIA, OSCAR, NINA, IMPOSTOR)
                        .filter(p -> p.username().equals(user.getName()))
                        .findFirst()
                        .orElseThrow();
                context.getClaims()
                        .claim("preferred_username", person.username())
                        .claim("name", person.displayName())
                        .claim("email", person.username() + "@example.org")
                        .claim(
                                "roles",
                                user.getAuthorities().stream()
                                        .map(GrantedAuthority::getAuthority)
                                        .filter(authority -> !authority.startsWith("FACTOR_"))
                                        .toList());
            };
        }

        @Bean
        JWKSource<SecurityContext> keys() {
            return new ImmutableJWKSet<>(new JWKSet(key));
        }

        @Bean
        JwtDecoder accessTokens() throws Exception {
            return NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey()).build();
        }

        @Bean
        AuthorizationServerSettings settings() {
            return AuthorizationServerSettings.builder().build();
        }

        private static RSAKey newKey() {
            try {
                var generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                var pair = generator.generateKeyPair();
                return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                        .privateKey((RSAPrivateKey) pair.getPrivate())
                        .keyID(UUID.randomUUID().toString())
                        .build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
