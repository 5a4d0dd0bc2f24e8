package org.kvmportal.vm;

/** Who a VM is assigned to: one user or every member of a group, by name. */
public sealed interface Grantee {

    String name();

    /** As shown in lists: users by name, groups with an "@" before theirs. */
    String label();

    record User(String name) implements Grantee {
        @Override
        public String label() {
            return name;
        }
    }

    record Group(String name) implements Grantee {
        @Override
        public String label() {
            return "@" + name;
        }
    }
}
