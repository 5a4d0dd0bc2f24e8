package org.kvmportal.access.sso;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldif.LDIFReader;

/** A real LDAP server for the tests: UnboundID's in-memory directory on a random port, loaded from an LDIF. */
final class Directory implements AutoCloseable {

    static final String BASE_DN = "dc=example,dc=org";

    private final InMemoryDirectoryServer server;

    private Directory(InMemoryDirectoryServer server) {
        this.server = server;
    }

    static Directory start(String ldifResource) {
        try (var ldif = Directory.class.getResourceAsStream(ldifResource)) {
            var config = new InMemoryDirectoryServerConfig(BASE_DN);
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
            var server = new InMemoryDirectoryServer(config);
            server.importFromLDIF(true, new LDIFReader(ldif));
            server.startListening();
            return new Directory(server);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the test directory", e);
        }
    }

    String url() {
        return "ldap://localhost:" + server.getListenPort();
    }

    /** Adds the person {@code uid} to the group {@code cn} under {@code ou=groups}, as the directory's admins would. */
    void addMember(String group, String uid) {
        modifyMembers(ModificationType.ADD, group, uid);
    }

    void removeMember(String group, String uid) {
        modifyMembers(ModificationType.DELETE, group, uid);
    }

    private void modifyMembers(ModificationType type, String group, String uid) {
        try {
            server.modify(
                    "cn=" + group + ",ou=groups," + BASE_DN,
                    new Modification(type, "member", "uid=" + uid + ",ou=people," + BASE_DN));
        } catch (LDAPException e) {
            throw new IllegalStateException("Cannot change the members of " + group, e);
        }
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
