package org.kvmportal.host;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface HostRecordRepository extends JpaRepository<HostRecord, Long> {

    Optional<HostRecord> findByName(String name);

    List<HostRecord> findAllByOrderByIdAsc();
}
