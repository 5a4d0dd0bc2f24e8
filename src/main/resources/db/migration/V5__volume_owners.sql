-- Who each storage volume belongs to (issue 17, ADR 13): a VM (host + domain UUID), whose managers may attach
-- it and whose deletion "with its disks" may delete it, or the admins. A volume without a row is the admins':
-- uploads, volumes made on the Storage page, and everything older than this table.
create table volume_owner (
    host        varchar(63)  not null,
    pool        varchar(255) not null,
    volume      varchar(255) not null,
    -- null: the admins'
    vm_uuid     uuid,
    -- an admins' disc image that everyone may insert into a CD-ROM drive (read-only)
    published   boolean      not null default false,
    recorded_by varchar(64),
    recorded_at timestamp with time zone not null,
    primary key (host, pool, volume),
    constraint volume_owner_published_is_admins check (vm_uuid is null or published = false)
);
create index volume_owner_vm on volume_owner (host, vm_uuid);
