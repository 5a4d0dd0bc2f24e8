package org.kvmportal.base;

import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * How long browsers keep the consoles' scripts and the libraries they import (noVNC, xterm.js). The scripts
 * import the libraries by versioned URLs ({@code /webjars/novnc/1.7.0/...}, written in at build time), whose
 * content never changes: a year, immutable, so a freshly loaded page opens its first console from the
 * browser's cache instead of fetching about forty modules one import level after another. The scripts
 * themselves ({@code /console/*.js}) are revalidated on every use, a 304 each, so that after an upgrade no
 * browser runs an old script that imports a library version the portal no longer has.
 */
@Configuration
class ResourceCaching implements WebMvcConfigurer {

    /** A WebJar's path: its name, then a version (which starts with a digit), then its files. */
    static final String VERSIONED_WEBJARS = "/webjars/*/{version:\\d[\\w.+-]*}/**";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(VERSIONED_WEBJARS)
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(
                        CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/console/**")
                .addResourceLocations("classpath:/META-INF/resources/console/")
                .setCacheControl(CacheControl.noCache());
    }
}
