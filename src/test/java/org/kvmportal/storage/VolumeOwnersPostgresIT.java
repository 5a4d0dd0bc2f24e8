package org.kvmportal.storage;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.test.context.TestPropertySource;

/** The volume owner store (and migration V5) on PostgreSQL, the production database. */
@DataJpaTest
@AutoConfigureTestDatabase(replace = Replace.NONE)
@TestPropertySource(
        properties = {
            "spring.datasource.url=${kvmportal.test.postgres.url}",
            "spring.datasource.username=kvmportal",
            "spring.datasource.password=kvmportal"
        })
class VolumeOwnersPostgresIT extends VolumeOwnersContract {}
