-- Initial schema: indexer bookkeeping, the mirror of AllianceRegistry and EmrRegistry, off-chain data.

CREATE TABLE `indexer_cursor` (
    `id` VARCHAR(32) NOT NULL,
    `block_number` INTEGER NOT NULL,
    `block_hash` CHAR(66) NOT NULL,
    `genesis_hash` CHAR(66) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `chain_events` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    `tx_hash` CHAR(66) NOT NULL,
    `contract` VARCHAR(64) NOT NULL,
    `address` CHAR(42) NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `args` JSON NOT NULL,
    `block_time` BIGINT NOT NULL,
    UNIQUE INDEX `chain_events_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `chain_events_contract_name_idx`(`contract`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `members` (
    `address` CHAR(42) NOT NULL,
    `role` TINYINT NOT NULL,
    `status` TINYINT NOT NULL,
    `hospital` CHAR(42) NULL,
    `profile_hash` CHAR(66) NOT NULL,
    `operator` CHAR(42) NULL,
    `applied_at` BIGINT NOT NULL,
    `decided_at` BIGINT NULL,
    `decided_by` CHAR(42) NULL,
    `reason_hash` CHAR(66) NULL,
    `tx_hash` CHAR(66) NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    INDEX `members_role_status_idx`(`role`, `status`),
    INDEX `members_hospital_idx`(`hospital`),
    PRIMARY KEY (`address`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `alliance_admins` (
    `address` CHAR(42) NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    PRIMARY KEY (`address`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `emr_records` (
    `record_id` CHAR(66) NOT NULL,
    `patient` CHAR(42) NOT NULL,
    `doctor` CHAR(42) NOT NULL,
    `hospital` CHAR(42) NOT NULL,
    `content_hash` CHAR(66) NOT NULL,
    `storage_pointer` VARCHAR(255) NOT NULL,
    `created_at` BIGINT NOT NULL,
    `version` INTEGER NOT NULL,
    `tx_hash` CHAR(66) NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    `written_at` BIGINT NOT NULL,
    UNIQUE INDEX `emr_records_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `emr_records_patient_idx`(`patient`),
    INDEX `emr_records_doctor_idx`(`doctor`),
    INDEX `emr_records_hospital_idx`(`hospital`),
    PRIMARY KEY (`record_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `member_profiles` (
    `address` CHAR(42) NOT NULL,
    `role` TINYINT NOT NULL,
    `name` VARCHAR(128) NOT NULL,
    `profile` JSON NOT NULL,
    `profile_hash` CHAR(66) NOT NULL,
    `hospital` CHAR(42) NULL,
    `nonce` VARCHAR(80) NOT NULL,
    `deadline` BIGINT NOT NULL,
    `signature` VARCHAR(140) NOT NULL,
    `submitted_at` BIGINT NOT NULL,
    `relayed_at` BIGINT NULL,
    `tx_hash` CHAR(66) NULL,
    INDEX `member_profiles_hospital_idx`(`hospital`),
    PRIMARY KEY (`address`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `emr_drafts` (
    `id` CHAR(36) NOT NULL,
    `record_id` CHAR(66) NOT NULL,
    `patient` CHAR(42) NOT NULL,
    `doctor` CHAR(42) NOT NULL,
    `hospital` CHAR(42) NOT NULL,
    `title` VARCHAR(200) NOT NULL,
    `created_at` BIGINT NOT NULL,
    `deadline` BIGINT NOT NULL,
    `content_hash` CHAR(66) NOT NULL,
    `storage_pointer` VARCHAR(255) NOT NULL,
    `patient_nonce` VARCHAR(80) NOT NULL,
    `doctor_nonce` VARCHAR(80) NOT NULL,
    `patient_sig` VARCHAR(140) NULL,
    `doctor_sig` VARCHAR(140) NULL,
    `status` VARCHAR(24) NOT NULL,
    `tx_hash` CHAR(66) NULL,
    `failure` VARCHAR(500) NULL,
    `updated_at` BIGINT NOT NULL,
    UNIQUE INDEX `emr_drafts_record_id_key`(`record_id`),
    INDEX `emr_drafts_patient_status_idx`(`patient`, `status`),
    INDEX `emr_drafts_doctor_status_idx`(`doctor`, `status`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `emr_blobs` (
    `storage_pointer` VARCHAR(255) NOT NULL,
    `record_id` CHAR(66) NOT NULL,
    `envelope` MEDIUMTEXT NOT NULL,
    `wrapped_key` TEXT NOT NULL,
    `title` VARCHAR(200) NOT NULL,
    `created_at` BIGINT NOT NULL,
    INDEX `emr_blobs_record_id_idx`(`record_id`),
    PRIMARY KEY (`storage_pointer`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `auth_challenges` (
    `nonce` VARCHAR(64) NOT NULL,
    `address` CHAR(42) NOT NULL,
    `message` TEXT NOT NULL,
    `expires_at` BIGINT NOT NULL,
    `used_at` BIGINT NULL,
    INDEX `auth_challenges_address_idx`(`address`),
    PRIMARY KEY (`nonce`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `audit_log` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `at` BIGINT NOT NULL,
    `actor` CHAR(42) NULL,
    `roles` VARCHAR(120) NOT NULL,
    `action` VARCHAR(64) NOT NULL,
    `resource` VARCHAR(200) NOT NULL,
    `outcome` VARCHAR(16) NOT NULL,
    `detail` VARCHAR(500) NULL,
    `request_id` VARCHAR(64) NULL,
    INDEX `audit_log_actor_at_idx`(`actor`, `at`),
    INDEX `audit_log_resource_idx`(`resource`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
