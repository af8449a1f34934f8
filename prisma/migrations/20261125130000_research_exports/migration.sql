-- De-identified research exports: bundles de-identified in the exporter's client from records under
-- level-2 (research) grants. The export's salt is never stored; only its SHA-256.

CREATE TABLE `research_exports` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `project_id` CHAR(66) NOT NULL,
    `exporter` CHAR(42) NOT NULL,
    `hospital` CHAR(42) NOT NULL,
    `salt_hash` CHAR(66) NOT NULL,
    `created_at` BIGINT NOT NULL,
    INDEX `research_exports_project_id_idx`(`project_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `research_export_records` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `export_id` INTEGER NOT NULL,
    `record_id` CHAR(66) NOT NULL,
    `version` INTEGER NOT NULL,
    `bundle` LONGTEXT NOT NULL,
    `report` MEDIUMTEXT NOT NULL,
    UNIQUE INDEX `research_export_records_export_id_record_id_version_key`(`export_id`, `record_id`, `version`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
