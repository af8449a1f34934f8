-- Grant history, regulators, notification marks, verification runs, texts behind on-chain hashes,
-- and drafts of record updates.

ALTER TABLE `consent_grants` ADD COLUMN `version` INTEGER NOT NULL DEFAULT 1;

CREATE TABLE `consent_grant_versions` (
    `grant_id` CHAR(66) NOT NULL,
    `version` INTEGER NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `patient` CHAR(42) NOT NULL,
    `grantee` CHAR(42) NOT NULL,
    `scope` CHAR(66) NOT NULL,
    `scope_kind` TINYINT NOT NULL,
    `level` TINYINT NOT NULL,
    `expires_at` BIGINT NOT NULL,
    `signer` CHAR(42) NOT NULL,
    `at` BIGINT NOT NULL,
    `tx_hash` CHAR(66) NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `consent_grant_versions_block_number_log_index_key`(`block_number`, `log_index`),
    PRIMARY KEY (`grant_id`, `version`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `regulators` (
    `address` CHAR(42) NOT NULL,
    `name` VARCHAR(100) NOT NULL,
    `organization` VARCHAR(200) NOT NULL,
    `kind` VARCHAR(24) NOT NULL,
    `jurisdiction` VARCHAR(16) NOT NULL,
    `region` VARCHAR(64) NULL,
    `added_by` CHAR(42) NOT NULL,
    `added_at` BIGINT NOT NULL,
    `revoked_at` BIGINT NULL,
    `revoked_by` CHAR(42) NULL,
    PRIMARY KEY (`address`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `notification_marks` (
    `recipient` CHAR(42) NOT NULL,
    `seen_until` BIGINT NOT NULL,
    PRIMARY KEY (`recipient`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `verification_runs` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `started_at` BIGINT NOT NULL,
    `finished_at` BIGINT NULL,
    `checked` INTEGER NOT NULL DEFAULT 0,
    `mismatches` INTEGER NOT NULL DEFAULT 0,
    `report` LONGTEXT NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    INDEX `verification_runs_started_at_idx`(`started_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `emr_drafts`
    DROP INDEX `emr_drafts_record_id_key`,
    ADD COLUMN `kind` VARCHAR(8) NOT NULL DEFAULT 'write',
    ADD COLUMN `version` INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN `reason` VARCHAR(500) NULL,
    ADD UNIQUE INDEX `emr_drafts_record_id_version_key`(`record_id`, `version`);

CREATE TABLE `evidence_texts` (
    `hash` CHAR(66) NOT NULL,
    `kind` VARCHAR(32) NOT NULL,
    `text` LONGTEXT NOT NULL,
    `submitted_by` CHAR(42) NOT NULL,
    `at` BIGINT NOT NULL,
    INDEX `evidence_texts_kind_idx`(`kind`),
    PRIMARY KEY (`hash`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
