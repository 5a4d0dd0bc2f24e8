package org.kvmportal.access;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface UserGroupRepository extends JpaRepository<UserGroup, Long> {

    Optional<UserGroup> findByNameIgnoreCase(String name);

    List<UserGroup> findAllByOrderByNameAsc();
}
