package org.kvmportal.base;

import com.vaadin.flow.server.communication.JSR356WebsocketInitializer;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import org.atmosphere.cpr.ApplicationConfig;
import org.atmosphere.cpr.AtmosphereFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sizes the receiving side of Vaadin's push WebSockets for what they receive: almost nothing. Push runs as
 * {@code WEBSOCKET_XHR} (Vaadin's default): the server sends UI changes over the WebSocket and the browser
 * sends its requests over XHR, so only Atmosphere's small protocol messages arrive on the socket. Vaadin sizes
 * it for 16 K anyway, which costs about 80 KB of heap per open browser tab (docs/benchmarks.md): Atmosphere's
 * read buffers (a 32 KB {@code CharBuffer} and a 16 KB {@code ByteBuffer}, used only for messages streamed to
 * it in parts, and grown then as needed) and the container's message buffers (16 K chars of text and 16 KiB of
 * binary, which Atmosphere asks of each session). A larger message than the limit closes the push connection,
 * which the client reopens. Vaadin has no setting for these, so this changes them in the framework Vaadin
 * prepared; every new WebSocket reads them when it opens.
 */
@Component
class PushBuffers {

    /** Bytes or characters: ample for Atmosphere's heartbeats and handshakes. */
    static final String SIZE = "1024";

    private static final Logger log = LoggerFactory.getLogger(PushBuffers.class);

    private final ObjectProvider<ServletContext> servletContext;

    PushBuffers(ObjectProvider<ServletContext> servletContext) {
        this.servletContext = servletContext;
    }

    /** After the context is up: Vaadin's WebSocket endpoint exporter prepares the framework while it starts. */
    @EventListener(ApplicationReadyEvent.class)
    void shrink() {
        var context = servletContext.getIfAvailable();
        if (context == null) {
            return;
        }
        String prefix = JSR356WebsocketInitializer.getAttributeName("");
        int changed = 0;
        for (String name : Collections.list(context.getAttributeNames())) {
            if (name.startsWith(prefix) && context.getAttribute(name) instanceof AtmosphereFramework framework) {
                framework.addInitParameter(ApplicationConfig.WEBSOCKET_BUFFER_SIZE, SIZE);
                framework.addInitParameter(ApplicationConfig.WEBSOCKET_MAXTEXTSIZE, SIZE);
                framework.addInitParameter(ApplicationConfig.WEBSOCKET_MAXBINARYSIZE, SIZE);
                changed++;
            }
        }
        log.debug("Push WebSocket buffers set to {} in {} Atmosphere framework(s)", SIZE, changed);
    }
}
