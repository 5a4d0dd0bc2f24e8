package org.kvmportal.access;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;

/** The default embedded database. */
@DataJpaTest
class H2PersistenceTest extends UserAccountPersistenceContract {}
