package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/** What every supported database must do with our schema; run on H2 and on PostgreSQL by the subclasses. */
abstract class UserAccountPersistenceContract {

    @Autowired
    UserAccountRepository repository;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void migrations_create_the_schema() {
        Integer applied = jdbc.queryForObject(
                "select count(*) from \"flyway_schema_history\" where \"success\" = true and \"version\" = '1'",
                Integer.class);
        assertThat(applied).isEqualTo(1);
    }

    @Test
    void an_account_is_stored_with_its_roles_and_found_by_name() {
        repository.saveAndFlush(new UserAccount(
                "carol", "Carol Ö'Brien", "$2a$10$hash", Set.of(Role.USER, Role.EDUCATOR), Instant.now()));

        var found = repository.findByUsername("carol").orElseThrow();
        assertThat(found.displayName()).isEqualTo("Carol Ö'Brien");
        assertThat(found.roles()).containsExactlyInAnyOrder(Role.USER, Role.EDUCATOR);
        assertThat(found.enabled()).isTrue();
        assertThat(found.darkTheme()).isFalse();
    }

    @Test
    void user_names_are_unique() {
        repository.saveAndFlush(new UserAccount("dave", "Dave", "x", Set.of(Role.USER), Instant.now()));

        assertThatThrownBy(() -> repository.saveAndFlush(
                        new UserAccount("dave", "Other Dave", "y", Set.of(Role.ADMIN), Instant.now())))
                .isInstanceOf(DataIntegrityViolationException.class);
    }
}
