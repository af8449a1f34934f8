-- Mirror tables for the alliance's contracts: record versions, certifications, delegations, grants,
-- access requests, the blacklist, complaints, emergency access, visits, hospital scores, points and research.

ALTER TABLE `members` ADD COLUMN `level` TINYINT NULL;

ALTER TABLE `indexer_cursor` ADD COLUMN `deployment` CHAR(66) NOT NULL DEFAULT '';

ALTER TABLE `emr_records` ADD COLUMN `fields_root` CHAR(66) NOT NULL DEFAULT '0x0000000000000000000000000000000000000000000000000000000000000000',
    ADD COLUMN `category` CHAR(66) NULL,
    ADD COLUMN `deleted` BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN `delete_reason` CHAR(66) NULL;
ALTER TABLE `emr_records` ALTER COLUMN `fields_root` DROP DEFAULT;

-- Drafts written before fields roots existed can no longer be signed: the contract now wants the root.
ALTER TABLE `emr_drafts` ADD COLUMN `fields_root` CHAR(66) NOT NULL DEFAULT '0x0000000000000000000000000000000000000000000000000000000000000000';
ALTER TABLE `emr_drafts` ALTER COLUMN `fields_root` DROP DEFAULT;

CREATE TABLE `emr_record_versions` (
    `record_id` CHAR(66) NOT NULL,
    `version` INTEGER NOT NULL,
    `doctor` CHAR(42) NOT NULL,
    `hospital` CHAR(42) NOT NULL,
    `content_hash` CHAR(66) NOT NULL,
    `fields_root` CHAR(66) NOT NULL,
    `storage_pointer` VARCHAR(255) NOT NULL,
    `reason_hash` CHAR(66) NOT NULL,
    `written_at` BIGINT NOT NULL,
    `tx_hash` CHAR(66) NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `emr_record_versions_block_number_log_index_key`(`block_number`, `log_index`),
    PRIMARY KEY (`record_id`, `version`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `doctor_certifications` (
    `doctor` CHAR(42) NOT NULL,
    `certifier` CHAR(42) NOT NULL,
    `credential_hash` CHAR(66) NOT NULL,
    `department` CHAR(66) NOT NULL,
    `issued_at` BIGINT NOT NULL,
    `expires_at` BIGINT NOT NULL,
    `revoked` BOOLEAN NOT NULL DEFAULT false,
    `revoke_reason` CHAR(66) NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `doctor_certifications_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `doctor_certifications_certifier_idx`(`certifier`),
    PRIMARY KEY (`doctor`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `delegations` (
    `patient` CHAR(42) NOT NULL,
    `delegate` CHAR(42) NOT NULL,
    `scopes` TINYINT NOT NULL,
    `valid_from` BIGINT NOT NULL,
    `valid_until` BIGINT NOT NULL,
    `revoked` BOOLEAN NOT NULL DEFAULT false,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `delegations_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `delegations_delegate_idx`(`delegate`),
    PRIMARY KEY (`patient`, `delegate`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `consent_grants` (
    `grant_id` CHAR(66) NOT NULL,
    `patient` CHAR(42) NOT NULL,
    `grantee` CHAR(42) NOT NULL,
    `scope` CHAR(66) NOT NULL,
    `scope_kind` TINYINT NOT NULL,
    `level` TINYINT NOT NULL,
    `expires_at` BIGINT NOT NULL,
    `revoked` BOOLEAN NOT NULL DEFAULT false,
    `signer` CHAR(42) NOT NULL,
    `granted_at` BIGINT NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `consent_grants_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `consent_grants_patient_idx`(`patient`),
    INDEX `consent_grants_grantee_idx`(`grantee`),
    INDEX `consent_grants_scope_idx`(`scope`),
    PRIMARY KEY (`grant_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `access_requests` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `record_id` CHAR(66) NOT NULL,
    `requester` CHAR(42) NOT NULL,
    `patient` CHAR(42) NOT NULL,
    `granted` BOOLEAN NOT NULL,
    `reason` TINYINT NOT NULL,
    `level` TINYINT NOT NULL,
    `purpose_hash` CHAR(66) NOT NULL,
    `at` BIGINT NOT NULL,
    `tx_hash` CHAR(66) NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `access_requests_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `access_requests_record_id_idx`(`record_id`),
    INDEX `access_requests_requester_idx`(`requester`),
    INDEX `access_requests_patient_idx`(`patient`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `blacklist` (
    `requester` CHAR(42) NOT NULL,
    `denied` INTEGER NOT NULL,
    `window_start` BIGINT NOT NULL,
    `listed_at` BIGINT NOT NULL,
    `lifted_at` BIGINT NULL,
    `lifted_by` CHAR(42) NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `blacklist_block_number_log_index_key`(`block_number`, `log_index`),
    PRIMARY KEY (`requester`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `complaints` (
    `complaint_id` INTEGER NOT NULL,
    `patient` CHAR(42) NOT NULL,
    `subject` CHAR(66) NOT NULL,
    `evidence_hash` CHAR(66) NOT NULL,
    `signer` CHAR(42) NOT NULL,
    `filed_at` BIGINT NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `complaints_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `complaints_patient_idx`(`patient`),
    PRIMARY KEY (`complaint_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `emergency_accesses` (
    `access_id` INTEGER NOT NULL,
    `record_id` CHAR(66) NOT NULL,
    `doctor` CHAR(42) NOT NULL,
    `patient` CHAR(42) NOT NULL,
    `hospital` CHAR(42) NOT NULL,
    `reason_code` TINYINT NOT NULL,
    `justification_hash` CHAR(66) NOT NULL,
    `accessed_at` BIGINT NOT NULL,
    `review_outcome` TINYINT NULL,
    `reviewed_by` CHAR(42) NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `emergency_accesses_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `emergency_accesses_patient_idx`(`patient`),
    INDEX `emergency_accesses_doctor_idx`(`doctor`),
    PRIMARY KEY (`access_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `visits` (
    `visit_id` CHAR(66) NOT NULL,
    `patient` CHAR(42) NOT NULL,
    `hospital` CHAR(42) NOT NULL,
    `last_step` TINYINT NOT NULL,
    `finished` BOOLEAN NOT NULL DEFAULT false,
    `opened_at` BIGINT NOT NULL,
    `finished_at` BIGINT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `visits_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `visits_patient_idx`(`patient`),
    INDEX `visits_hospital_idx`(`hospital`),
    PRIMARY KEY (`visit_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `visit_steps` (
    `visit_id` CHAR(66) NOT NULL,
    `step` TINYINT NOT NULL,
    `doctor` CHAR(42) NOT NULL,
    `content_hash` CHAR(66) NOT NULL,
    `at` BIGINT NOT NULL,
    `tx_hash` CHAR(66) NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `visit_steps_block_number_log_index_key`(`block_number`, `log_index`),
    PRIMARY KEY (`visit_id`, `step`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `hospital_scores` (
    `hospital` CHAR(42) NOT NULL,
    `score` INTEGER NOT NULL,
    `level` TINYINT NOT NULL,
    `feedback_count` INTEGER NOT NULL,
    `rating_sum` INTEGER NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `hospital_scores_block_number_log_index_key`(`block_number`, `log_index`),
    PRIMARY KEY (`hospital`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `score_events` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `hospital` CHAR(42) NOT NULL,
    `kind` VARCHAR(16) NOT NULL,
    `reason_code` TINYINT NULL,
    `delta` INTEGER NOT NULL,
    `score` INTEGER NOT NULL,
    `evidence_hash` CHAR(66) NULL,
    `actor` CHAR(42) NULL,
    `visit_id` CHAR(66) NULL,
    `rating` TINYINT NULL,
    `at` BIGINT NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `score_events_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `score_events_hospital_at_idx`(`hospital`, `at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `record_ratings` (
    `record_id` CHAR(66) NOT NULL,
    `hospital` CHAR(42) NOT NULL,
    `value_level` TINYINT NOT NULL,
    `rarity_level` TINYINT NOT NULL,
    `rated_at` BIGINT NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `record_ratings_block_number_log_index_key`(`block_number`, `log_index`),
    PRIMARY KEY (`record_id`, `hospital`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `record_points` (
    `record_id` CHAR(66) NOT NULL,
    `patient` CHAR(42) NOT NULL,
    `share` INTEGER NOT NULL,
    `value_level` TINYINT NOT NULL,
    `rarity_level` TINYINT NOT NULL,
    `points_tenths` BIGINT NOT NULL,
    `settled_at` BIGINT NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `record_points_block_number_log_index_key`(`block_number`, `log_index`),
    INDEX `record_points_patient_idx`(`patient`),
    PRIMARY KEY (`record_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `patient_points` (
    `patient` CHAR(42) NOT NULL,
    `total_tenths` BIGINT NOT NULL,
    `tier` TINYINT NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `patient_points_block_number_log_index_key`(`block_number`, `log_index`),
    PRIMARY KEY (`patient`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `research_projects` (
    `project_id` CHAR(66) NOT NULL,
    `total` VARCHAR(78) NOT NULL,
    `description_hash` CHAR(66) NOT NULL,
    `inputs_hash` CHAR(66) NULL,
    `finalized` BOOLEAN NOT NULL DEFAULT false,
    `created_at` BIGINT NOT NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `research_projects_block_number_log_index_key`(`block_number`, `log_index`),
    PRIMARY KEY (`project_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `research_allocations` (
    `project_id` CHAR(66) NOT NULL,
    `hospital` CHAR(42) NOT NULL,
    `amount` VARCHAR(78) NULL,
    `block_number` INTEGER NOT NULL,
    `log_index` INTEGER NOT NULL,
    UNIQUE INDEX `research_allocations_block_number_log_index_key`(`block_number`, `log_index`),
    PRIMARY KEY (`project_id`, `hospital`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
