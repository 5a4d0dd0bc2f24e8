package org.kvmportal.vm;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.test.context.TestPropertySource;

/** The grant store on PostgreSQL, the production database, started by the test command. */
@DataJpaTest
@AutoConfigureTestDatabase(replace = Replace.NONE)
@TestPropertySource(
        properties = {
            "spring.datasource.url=${kvmportal.test.postgres.url}",
            "spring.datasource.username=kvmportal",
            "spring.datasource.password=kvmportal"
        })
class VmGrantsPostgresIT extends VmGrantsContract {}
