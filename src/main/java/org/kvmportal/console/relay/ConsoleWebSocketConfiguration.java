package org.kvmportal.console.relay;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import java.time.Duration;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleRefusals;
import org.kvmportal.console.ConsoleSessions;
import org.kvmportal.console.ConsoleTickets;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.vm.VmAccessPolicy;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/** The console WebSocket endpoints, each behind the ticket check. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class ConsoleWebSocketConfiguration implements WebSocketConfigurer {

    /** The screen console's path; the security configuration lets it through to the ticket check. */
    static final String SCREEN_PATH = "/console/ws/screen";

    static final String SERIAL_PATH = "/console/ws/serial";

    private final ConsoleTickets tickets;
    private final ConsoleSessions sessions;
    private final ConsoleRefusals refusals;
    private final VmAccessPolicy access;
    private final DisplayLocator locator;
    private final Hypervisor hypervisor;
    private final Duration sendTimeout;
    private final DisplayLoops displayLoops;

    ConsoleWebSocketConfiguration(
            ConsoleTickets tickets,
            ConsoleSessions sessions,
            ConsoleRefusals refusals,
            VmAccessPolicy access,
            DisplayLocator locator,
            Hypervisor hypervisor,
            @Value("${kvmportal.console.send-timeout:15s}") Duration sendTimeout,
            DisplayLoops displayLoops) {
        this.tickets = tickets;
        this.sessions = sessions;
        this.refusals = refusals;
        this.access = access;
        this.locator = locator;
        this.hypervisor = hypervisor;
        this.sendTimeout = sendTimeout;
        this.displayLoops = displayLoops;
    }

    @Bean(destroyMethod = "close")
    static DisplayLoops displayLoops() {
        return DisplayLoops.forThisMachine();
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(
                        new RelayHandler(
                                sessions, sendTimeout, context -> new ScreenRelay(context, locator, displayLoops)),
                        SCREEN_PATH)
                .setHandshakeHandler(new DefaultHandshakeHandler(new UncompressedUpgrade())) // no permessage-deflate
                .addInterceptors(new TicketHandshake(
                        ConsoleKind.SCREEN,
                        tickets,
                        sessions,
                        refusals,
                        access,
                        grant -> ScreenRelay.dial(locator, grant)));
        registry.addHandler(
                        new RelayHandler(sessions, sendTimeout, context -> new SerialRelay(context, hypervisor)),
                        SERIAL_PATH)
                .setHandshakeHandler(new DefaultHandshakeHandler(new UncompressedUpgrade()))
                // libvirt opens the serial console as a stream bound to the relay's listener: nothing to start early.
                .addInterceptors(
                        new TicketHandshake(ConsoleKind.SERIAL, tickets, sessions, refusals, access, grant -> null));
    }

    /**
     * Smaller message buffers for new WebSocket sessions: the container's defaults (8 K chars of text, 16 KiB,
     * and 8 KiB of binary) are most of what an idle console costs in heap. Consoles take binary input in parts
     * (see {@link RelayHandler#supportsPartialMessages()}) and no text at all, so neither limit applies to
     * what a console can carry. These are defaults only: Vaadin's push connection sets its own sizes on each
     * session (16 K), and the container resizes a session's buffer at its next message when the session asks
     * for another size, so an endpoint that takes whole text messages must set its limit itself.
     */
    @Bean
    static InitializingBean webSocketContainerDefaults(ServletContext servletContext) {
        return () -> {
            // Absent in tests with a mock servlet environment: there are no WebSockets there to size.
            if (servletContext.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container) {
                container.setDefaultMaxTextMessageBufferSize(256);
                container.setDefaultMaxBinaryMessageBufferSize(4 * 1024);
            }
        };
    }

    /** Tells {@link ConsoleSessions} at once when an HTTP session ends (sign-out, expiry). */
    @Bean
    static HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }
}
