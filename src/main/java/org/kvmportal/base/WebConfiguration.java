package org.kvmportal.base;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class WebConfiguration {

    /** Before Tomcat's WebSocket filter, which performs the upgrade (it maps itself after all others). */
    @Bean
    FilterRegistrationBean<UncompressedPush> uncompressedPush() {
        var registration = new FilterRegistrationBean<>(new UncompressedPush());
        registration.addUrlPatterns(UncompressedPush.PATH);
        return registration;
    }
}
