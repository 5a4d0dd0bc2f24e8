package org.kvmportal.access.sso;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
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

    @Override
    public void close() {
        server.shutDown(true);
    }
}
