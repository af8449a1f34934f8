// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

/// @title IContributionPoints
/// @notice Contribution points of patients for the medical records they share (积分激励, DESIGN §6).
///         Points per shared record = 0.3·share + 0.4·value + 0.3·rarity, kept in tenths:
///         `3·share + 4·VALUE[v] + 3·RARITY[r]` with VALUE = {1: 5, 2: 20, 3: 30}, RARITY = {1: 5, 2: 15, 3: 25}
///         and share = `ConsentManager.shareOf(recordId)`. A record with share 0 is not shared and earns 0;
///         an unrated record counts value and rarity as 0. Tiers: 0 普通 from 0, 1 银 from 1000 tenths,
///         2 金 from 5000, 3 钻石 from 20000; perks bit mask 1 queue priority, 2 appointment,
///         4 drug purchase, 8 reimbursement (tier 0 → 0, 1 → 1, 2 → 3, 3 → 15). Mirrored in sdk/src/points.ts.
interface IContributionPoints {
    /// @notice A constructor address is zero.
    error ContributionPointsZeroAddress();
    /// @notice The sender is not the operator of an approved hospital.
    error ContributionPointsNotHospitalOperator(address sender);
    /// @notice The sender is neither the alliance's owner nor an approved hospital's operator.
    error ContributionPointsNotRelayer(address sender);
    /// @notice A value or rarity level is outside 1–3.
    error ContributionPointsInvalidLevel(uint8 valueLevel, uint8 rarityLevel);
    /// @notice No record with this id is known to the EmrRegistry.
    error ContributionPointsUnknownRecord(bytes32 recordId);
    /// @notice `hospital` holds no active grant (none, expired or revoked) on the record.
    error ContributionPointsNoActiveGrant(bytes32 recordId, address hospital);
    /// @notice There is no tier with this number (tiers are 0–3).
    error ContributionPointsInvalidTier(uint8 tier);

    /// @notice A hospital rated a record's value and rarity (the latest rating counts).
    /// @param recordId The record.
    /// @param hospital The rating hospital (holding an active grant on the record).
    /// @param valueLevel Value level 1–3.
    /// @param rarityLevel Rarity level 1–3.
    event RecordRated(bytes32 indexed recordId, address indexed hospital, uint8 valueLevel, uint8 rarityLevel);

    /// @notice A record's points were recomputed and the patient's total moved by the difference.
    /// @param recordId The record.
    /// @param patient The record's patient.
    /// @param share The record's share at settlement (ConsentManager.shareOf).
    /// @param valueLevel The latest value level (0 = unrated).
    /// @param rarityLevel The latest rarity level (0 = unrated).
    /// @param pointsTenths The record's points now, in tenths.
    /// @param totalTenths The patient's total now, in tenths.
    /// @param tier The patient's tier now.
    event PointsSettled(
        bytes32 indexed recordId,
        address indexed patient,
        uint256 share,
        uint8 valueLevel,
        uint8 rarityLevel,
        uint256 pointsTenths,
        uint256 totalTenths,
        uint8 tier
    );

    /// @notice Rates a record's value and rarity; sent by the operator of an approved hospital holding an
    ///         active grant on the record (`ConsentManager.accessLevel(recordId, hospital)` level ≠ 0).
    ///         Replaces any earlier rating of the record; points change only when the record is settled.
    /// @dev Checks in order: sender is a hospital's operator, levels 1–3, record known, active grant.
    /// @param recordId The record.
    /// @param valueLevel Value level 1–3 (VALUE 5 / 20 / 30).
    /// @param rarityLevel Rarity level 1–3 (RARITY 5 / 15 / 25).
    function rate(bytes32 recordId, uint8 valueLevel, uint8 rarityLevel) external;

    /// @notice Recomputes a record's points from its current share and latest rating and moves the
    ///         patient's total by the difference; any relayer; may be called again at any time.
    /// @param recordId A record known to the EmrRegistry.
    function settle(bytes32 recordId) external;

    /// @notice A patient's total points, tier and perks.
    /// @param patient The patient.
    /// @return totalTenths Total points in tenths.
    /// @return tier The tier (0–3) of the total.
    /// @return perks The tier's perks bit mask (1 queue, 2 appointment, 4 drug purchase, 8 reimbursement).
    function pointsOf(address patient) external view returns (uint256 totalTenths, uint8 tier, uint8 perks);

    /// @notice A record's points as last settled (zeros before the first settlement).
    /// @param recordId The record.
    /// @return pointsTenths Points in tenths at the last settlement.
    /// @return share Share at the last settlement.
    /// @return valueLevel Value level at the last settlement (0 = unrated).
    /// @return rarityLevel Rarity level at the last settlement (0 = unrated).
    function recordPointsOf(bytes32 recordId)
        external
        view
        returns (uint256 pointsTenths, uint256 share, uint8 valueLevel, uint8 rarityLevel);

    /// @notice A record's latest rating, not yet necessarily settled (zeros when unrated).
    /// @param recordId The record.
    /// @return valueLevel Value level 1–3 (0 = unrated).
    /// @return rarityLevel Rarity level 1–3 (0 = unrated).
    /// @return hospital The hospital that rated last.
    /// @return ratedAt Block time (ms) of the latest rating.
    function ratingOf(bytes32 recordId)
        external
        view
        returns (uint8 valueLevel, uint8 rarityLevel, address hospital, uint256 ratedAt);

    /// @notice One row of the tier table; reverts with ContributionPointsInvalidTier above 3.
    /// @param tier The tier 0–3.
    /// @return thresholdTenths The lowest total (tenths) of the tier.
    /// @return perks The tier's perks bit mask.
    function tierOf(uint8 tier) external pure returns (uint256 thresholdTenths, uint8 perks);

    /// @notice The contracts this one reads.
    /// @return alliance The AllianceRegistry.
    /// @return emr The EmrRegistry.
    /// @return consent The ConsentManager.
    function dependencies() external view returns (address alliance, address emr, address consent);
}
