package org.kvmportal.base;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class WebConfiguration {

    /**
     * Bytes of Tomcat's read and write buffer per connection (its default: 8 KiB each). Every open page holds
     * one connection for push and the browser keeps about one more alive between clicks, so these buffers are
     * about a tenth of an open page's heap (docs/benchmarks.md). They carry HTTP requests and responses in
     * parts; WebSocket messages out, the console's screen among them, go to the socket straight from the
     * sender's buffers (Tomcat's vectored writes), so a smaller size costs only a few more system calls per
     * large response.
     */
    static final int SOCKET_BUFFER_BYTES = 4096;

    /** Before Tomcat's WebSocket filter, which performs the upgrade (it maps itself after all others). */
    @Bean
    FilterRegistrationBean<UncompressedPush> uncompressedPush() {
        var registration = new FilterRegistrationBean<>(new UncompressedPush());
        registration.addUrlPatterns(UncompressedPush.PATH);
        return registration;
    }

    @Bean
    TomcatConnectorCustomizer smallSocketBuffers() {
        return connector -> {
            connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
            connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
        };
    }
}
