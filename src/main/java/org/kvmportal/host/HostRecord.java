package org.kvmportal.host;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "hypervisor_host")
class HostRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 63)
    private String name;

    @Column(nullable = false, length = 512)
    private String uri;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected HostRecord() {}

    HostRecord(String name, String uri, Instant createdAt) {
        this.name = name;
        this.uri = uri;
        this.createdAt = createdAt;
    }

    String name() {
        return name;
    }

    String uri() {
        return uri;
    }

    void change(String newName, String newUri) {
        this.name = newName;
        this.uri = newUri;
    }
}
