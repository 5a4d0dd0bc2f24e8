package org.kvmportal.testing;

import java.time.OffsetDateTime;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Accounts and groups written straight into the portal's database, for service tests that act as a user
 * with {@code @WithMockUser}: the services read a user's roles and grants from the database, not the session.
 */
public final class TestAccounts {

    private final JdbcClient jdbc;

    public TestAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the account with these roles (by name: USER, HELPDESK, EDUCATOR, ADMIN) unless it exists. */
    public long user(String username, String... roles) {
        var existing = jdbc.sql("select id from app_user where username = :name")
                .param("name", username)
                .query(Long.class)
                .optional();
        if (existing.isPresent()) {
            return existing.get();
        }
        jdbc.sql("""
                        insert into app_user (username, password_hash, display_name, enabled, created_at)
                        values (:name, '!test', :name, true, :now)
                        """).param("name", username).param("now", OffsetDateTime.now()).update();
        long id = user(username);
        for (String role : roles) {
            jdbc.sql("insert into app_user_role (user_id, role) values (:id, :role)")
                    .param("id", id)
                    .param("role", role)
                    .update();
        }
        return id;
    }

    /** Creates the group unless it exists and adds the members (existing accounts). */
    public long group(String name, String... members) {
        var existing = jdbc.sql("select id from app_group where name = :name")
                .param("name", name)
                .query(Long.class)
                .optional();
        long id = existing.orElseGet(() -> {
            jdbc.sql("insert into app_group (name, created_at) values (:name, :now)")
                    .param("name", name)
                    .param("now", OffsetDateTime.now())
                    .update();
            return group(name);
        });
        for (String member : members) {
            jdbc.sql("""
                            insert into app_group_member (group_id, user_id)
                            select :group, :user where not exists (
                              select 1 from app_group_member where group_id = :group and user_id = :user)
                            """).param("group", id).param("user", user(member)).update();
        }
        return id;
    }

    /** As after an admin's password reset: the user must choose a new password before anything else. */
    public void requirePasswordChange(String username) {
        jdbc.sql("update app_user set must_change_password = true where username = :name")
                .param("name", username)
                .update();
    }

    public void setEnabled(String username, boolean enabled) {
        jdbc.sql("update app_user set enabled = :enabled where username = :name")
                .param("enabled", enabled)
                .param("name", username)
                .update();
    }
}
