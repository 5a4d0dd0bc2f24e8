package org.kvmportal.access;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.test.context.TestPropertySource;

/**
 * The production database: a real PostgreSQL server, started by the test command (scripts/test.sh), which
 * also creates the {@code kvmportal} role and a new, empty {@code kvmportal_test} database for every run, so
 * that the migrations themselves are tested.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = Replace.NONE)
@TestPropertySource(
        properties = {
            "spring.datasource.url=${kvmportal.test.postgres.url}",
            "spring.datasource.username=kvmportal",
            "spring.datasource.password=kvmportal"
        })
class PostgresPersistenceIT extends UserAccountPersistenceContract {}
