package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.access.AccountIdentity;
import org.kvmportal.access.Role;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.testing.TestAccounts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the grant store must do on every supported database; run on H2 and on PostgreSQL by the subclasses. */
abstract class VmGrantsContract {

    /** Fresh names and VMs per test: the PostgreSQL database lives as long as the test run. */
    private final String suffix = Long.toString(System.nanoTime(), 36);

    private final DomainRef web = new DomainRef("lab", UUID.randomUUID());
    private final DomainRef db = new DomainRef("lab", UUID.randomUUID());

    @Autowired
    DataSource dataSource;

    private VmGrants grants;
    private VmCleanSnapshots cleanSnapshots;
    private AccountIdentity carol;
    private long students;

    @BeforeEach
    void accounts() {
        var jdbc = JdbcClient.create(dataSource);
        grants = new VmGrants(jdbc);
        cleanSnapshots = new VmCleanSnapshots(jdbc);
        var accounts = new TestAccounts(jdbc);
        long carolId = accounts.user("carol-" + suffix, "USER");
        students = accounts.group("students-" + suffix, "carol-" + suffix);
        carol = new AccountIdentity(carolId, "carol-" + suffix, Set.of(Role.USER), Set.of(students));
    }

    @Test
    void the_highest_of_a_users_own_and_group_grants_wins() {
        grants.grantToUser(web, carol.id(), VmAccessLevel.VIEW, "admin");
        grants.grantToGroup(web, students, VmAccessLevel.OPERATE, "admin");
        grants.grantToGroup(db, students, VmAccessLevel.CONSOLE, "admin");

        assertThat(grants.levelsOf(carol))
                .containsEntry(web, VmAccessLevel.OPERATE)
                .containsEntry(db, VmAccessLevel.CONSOLE);
        assertThat(grants.assigned()).contains(web, db);
        assertThat(grants.isAssigned(web)).isTrue();
        assertThat(grants.on(web))
                .extracting(grant -> grant.grantee().label() + "=" + grant.level())
                .containsExactlyInAnyOrder("carol-" + suffix + "=VIEW", "@students-" + suffix + "=OPERATE");
        assertThat(grants.ofUser("carol-" + suffix)).singleElement().satisfies(grant -> {
            assertThat(grant.vm()).isEqualTo(web);
            assertThat(grant.grantedBy()).isEqualTo("admin");
            assertThat(grant.grantedAt()).isNotNull();
        });
    }

    @Test
    void granting_again_replaces_the_level_and_revoking_removes_it() {
        grants.grantToUser(db, carol.id(), VmAccessLevel.MANAGE, "admin");
        grants.grantToUser(db, carol.id(), VmAccessLevel.VIEW, "admin");
        assertThat(grants.on(db)).singleElement().extracting(VmGrant::level).isEqualTo(VmAccessLevel.VIEW);

        assertThat(grants.revokeFromUser(db, carol.id())).isTrue();
        assertThat(grants.revokeFromUser(db, carol.id())).isFalse();
        assertThat(grants.isAssigned(db)).isFalse();
        assertThat(grants.levelsOf(carol)).doesNotContainKey(db);
    }

    @Test
    void a_clean_snapshot_is_marked_replaced_and_cleared() {
        cleanSnapshots.mark(web, "before-class", "admin");
        cleanSnapshots.mark(web, "after-update", "admin");
        assertThat(cleanSnapshots.of(web)).contains("after-update");

        cleanSnapshots.clear(web);
        assertThat(cleanSnapshots.of(web)).isEmpty();
    }
}
