-- End-to-end record encryption: the server keeps members' public keys, each version's content key
-- wrapped per reader, the alliance's key authority (CP-ABE and break-glass escrow), the attribute
-- keys it issued, and the policies behind policy grants. Content keys are no longer wrapped under a
-- server key.

ALTER TABLE `emr_blobs` DROP COLUMN `wrapped_key`;

CREATE TABLE `account_keys` (
    `address` CHAR(42) NOT NULL,
    `public_key` CHAR(68) NOT NULL,
    `learned_at` BIGINT NOT NULL,
    PRIMARY KEY (`address`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `emr_key_wraps` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `storage_pointer` VARCHAR(255) NOT NULL,
    `kind` VARCHAR(8) NOT NULL,
    `reader` VARCHAR(42) NOT NULL,
    `policy` VARCHAR(1000) NULL,
    `wrapped` MEDIUMTEXT NOT NULL,
    `added_by` CHAR(42) NOT NULL,
    `created_at` BIGINT NOT NULL,
    UNIQUE INDEX `emr_key_wraps_storage_pointer_reader_key`(`storage_pointer`, `reader`),
    INDEX `emr_key_wraps_reader_idx`(`reader`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `key_authority` (
    `id` TINYINT NOT NULL,
    `abe_public_key` MEDIUMTEXT NOT NULL,
    `abe_master_key` TEXT NOT NULL,
    `escrow_public_key` CHAR(68) NOT NULL,
    `escrow_private_key` TEXT NOT NULL,
    `created_at` BIGINT NOT NULL,
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `attribute_keys` (
    `address` CHAR(42) NOT NULL,
    `attributes_hash` CHAR(66) NOT NULL,
    `attributes` TEXT NOT NULL,
    `sealed` MEDIUMTEXT NOT NULL,
    `issued_at` BIGINT NOT NULL,
    PRIMARY KEY (`address`, `attributes_hash`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `policy_grantees` (
    `grantee` CHAR(42) NOT NULL,
    `policy` VARCHAR(1000) NOT NULL,
    PRIMARY KEY (`grantee`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
