package org.kvmportal.access;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface UserAccountRepository extends JpaRepository<UserAccount, Long> {

    Optional<UserAccount> findByUsername(String username);

    boolean existsByUsername(String username);

    boolean existsByUsernameIgnoreCase(String username);

    /** The roles the user's groups give, for sign-in (where a disabled account must still be found). */
    @Query(value = """
            select distinct gr.role from app_group_role gr
              join app_group_member m on m.group_id = gr.group_id
              join app_user u on u.id = m.user_id
             where u.username = :username
            """, nativeQuery = true)
    List<String> groupRoles(String username);
}
