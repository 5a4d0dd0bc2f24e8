package org.kvmportal.hypervisor.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HypervisorProperties.class)
class HypervisorConfiguration {

    @Bean(destroyMethod = "close")
    /** Typed as the implementation so that this package's other libvirt components can share its hosts. */
    LibvirtHypervisor hypervisor(HypervisorProperties properties, ApplicationEventPublisher publisher) {
        var hosts = new LinkedHashMap<String, String>();
        properties.hosts().forEach(host -> hosts.put(host.name(), host.uri()));
        return new LibvirtHypervisor(hosts, publisher::publishEvent, Clock.systemUTC());
    }
}
