-- Provisioning: VMs an admin marked as templates (host + domain UUID), and whether users may create their own
-- VMs from them within their quotas.
create table vm_template (
    host         varchar(63) not null,
    vm_uuid      uuid        not null,
    self_service boolean     not null default false,
    marked_by    varchar(64),
    marked_at    timestamp with time zone not null,
    primary key (host, vm_uuid)
);
