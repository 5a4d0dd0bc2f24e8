package org.kvmportal.access;

import java.util.List;
import java.util.Optional;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Finding users, for help-desk staff who look up whom they are helping (and for admins). */
@Service
public class UserDirectory {

    /** A search answers at most this many, whatever the caller asks. */
    static final int MAX_RESULTS = 200;

    private final UserQueries queries;

    UserDirectory(UserQueries queries) {
        this.queries = queries;
    }

    /** Users whose user name, display name or e-mail contains {@code text}, any case, by user name. */
    @PreAuthorize("hasAnyRole('ADMIN','HELPDESK')")
    @Transactional(readOnly = true)
    public List<UserSummary> search(String text, int limit) {
        return queries.search(text, 0, Math.clamp(limit, 0, MAX_RESULTS)).stream()
                .map(ManagedUser::summary)
                .toList();
    }

    @PreAuthorize("hasAnyRole('ADMIN','HELPDESK')")
    @Transactional(readOnly = true)
    public Optional<UserSummary> find(String username) {
        return queries.find(username).map(ManagedUser::summary);
    }
}
