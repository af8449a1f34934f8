-- Encrypted statistics (Paillier): rounds with their key pair (private key sealed under KMC_KEK) and
-- the hospitals' encrypted submissions. Per-hospital values are stored as ciphertexts only.

CREATE TABLE `statistics_rounds` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `title` VARCHAR(200) NOT NULL,
    `diagnoses` TEXT NOT NULL,
    `closes_at` BIGINT NOT NULL,
    `public_key` TEXT NOT NULL,
    `private_key` TEXT NOT NULL,
    `opened_by` CHAR(42) NOT NULL,
    `opened_at` BIGINT NOT NULL,
    `closed_by` CHAR(42) NULL,
    `closed_at` BIGINT NULL,
    `totals` TEXT NULL,
    INDEX `statistics_rounds_opened_at_idx`(`opened_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `statistics_submissions` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `round_id` INTEGER NOT NULL,
    `hospital` CHAR(42) NOT NULL,
    `counts` MEDIUMTEXT NOT NULL,
    `submitted_at` BIGINT NOT NULL,
    UNIQUE INDEX `statistics_submissions_round_id_hospital_key`(`round_id`, `hospital`),
    INDEX `statistics_submissions_hospital_idx`(`hospital`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

