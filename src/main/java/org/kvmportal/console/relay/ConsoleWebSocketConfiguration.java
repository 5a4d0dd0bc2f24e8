package org.kvmportal.console.relay;

import java.time.Duration;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleSessions;
import org.kvmportal.console.ConsoleTickets;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.vm.VmAccessPolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** The console WebSocket endpoints, each behind the ticket check. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class ConsoleWebSocketConfiguration implements WebSocketConfigurer {

    /** The screen console's path; the security configuration lets it through to the ticket check. */
    static final String SCREEN_PATH = "/console/ws/screen";

    static final String SERIAL_PATH = "/console/ws/serial";

    private final ConsoleTickets tickets;
    private final ConsoleSessions sessions;
    private final VmAccessPolicy access;
    private final DisplayLocator locator;
    private final Hypervisor hypervisor;
    private final Duration sendTimeout;

    ConsoleWebSocketConfiguration(
            ConsoleTickets tickets,
            ConsoleSessions sessions,
            VmAccessPolicy access,
            DisplayLocator locator,
            Hypervisor hypervisor,
            @Value("${kvmportal.console.send-timeout:15s}") Duration sendTimeout) {
        this.tickets = tickets;
        this.sessions = sessions;
        this.access = access;
        this.locator = locator;
        this.hypervisor = hypervisor;
        this.sendTimeout = sendTimeout;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(
                        new RelayHandler(sessions, sendTimeout, context -> new ScreenRelay(context, locator)),
                        SCREEN_PATH)
                .addInterceptors(new TicketHandshake(ConsoleKind.SCREEN, tickets, sessions, access));
        registry.addHandler(
                        new RelayHandler(sessions, sendTimeout, context -> new SerialRelay(context, hypervisor)),
                        SERIAL_PATH)
                .addInterceptors(new TicketHandshake(ConsoleKind.SERIAL, tickets, sessions, access));
    }

    /** Tells {@link ConsoleSessions} at once when an HTTP session ends (sign-out, expiry). */
    @Bean
    static HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }
}
