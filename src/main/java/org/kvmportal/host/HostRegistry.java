package org.kvmportal.host;

import jakarta.annotation.PostConstruct;
import java.time.Clock;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Hands the stored hosts to the hypervisor layer at start-up. On the very first start, with no host in the
 * configuration or the database, it stores the default host (the local daemon, or the simulated host), so
 * that it shows on the hosts page like any other and admins can change or remove it.
 */
@Component
class HostRegistry {

    private static final Logger log = LoggerFactory.getLogger(HostRegistry.class);

    private final HostRecordRepository repository;
    private final Hypervisor hypervisor;

    HostRegistry(HostRecordRepository repository, Hypervisor hypervisor) {
        this.repository = repository;
        this.hypervisor = hypervisor;
    }

    @PostConstruct
    void manageStoredHosts() {
        if (hypervisor.hosts().isEmpty() && repository.count() == 0) {
            var fallback = hypervisor.defaultHost();
            repository.save(new HostRecord(
                    fallback.name(), fallback.uri(), Clock.systemUTC().instant()));
            log.info("No hosts configured: added {} ({})", fallback.name(), fallback.uri());
        }
        var configured = hypervisor.hosts().stream().map(HostStatus::name).toList();
        for (var host : repository.findAllByOrderByIdAsc()) {
            if (configured.contains(host.name())) {
                log.warn("Stored host {} is ignored: the configuration defines a host of the same name", host.name());
                continue;
            }
            hypervisor.addHost(host.name(), host.uri());
        }
    }
}
