// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "./ITypedSignatures.sol";

/// @title IHospitalScore
/// @notice The hospitals' evaluation score (医院评估) on 0–1000: an initial score by level (一级 600,
///         二级 700, 三级 800), adjustments signed by an alliance admin (misdiagnosis, rescue of difficult
///         cases, pre- and post-visit service) and patients' feedback on their finished visits.
/// @dev EIP-712 (name "HospitalScore", version "1"):
///      ScoreAdjustment(address hospital,uint8 reasonCode,int256 delta,bytes32 evidenceHash,uint256 nonce,uint256 deadline)
///      Feedback(bytes32 visitId,uint8 rating,bytes32 commentHash,uint256 nonce,uint256 deadline)
///      Reason codes: 1 misdiagnosis (delta < 0), 2 rescue of difficult cases (delta > 0), 3 pre-visit
///      service, 4 post-visit service (delta of either sign); delta ≠ 0 and |delta| ≤ 100. Feedback moves
///      the score by rating − 3. The score is clamped to 0–1000 after every change. Deadlines are ms.
interface IHospitalScore is ITypedSignatures {
    /// @notice The sender is not a relayer of the alliance (its owner or an approved hospital's operator).
    error HospitalScoreNotRelayer(address sender);
    /// @notice The hospital's level is not set in the alliance registry (or is not 1..3).
    error HospitalScoreLevelNotSet(address hospital, uint8 level);
    /// @notice The hospital's score was already initialized.
    error HospitalScoreAlreadyInitialized(address hospital);
    /// @notice The hospital's score is not initialized yet.
    error HospitalScoreNotInitialized(address hospital);
    /// @notice `reasonCode` is not one of 1..4.
    error HospitalScoreInvalidReason(uint8 reasonCode);
    /// @notice `delta` is zero or has the wrong sign for `reasonCode` (1 needs < 0, 2 needs > 0).
    error HospitalScoreInvalidDelta(uint8 reasonCode, int256 delta);
    /// @notice |delta| is larger than 100.
    error HospitalScoreDeltaOutOfRange(int256 delta);
    /// @notice The evidence hash of an adjustment is zero.
    error HospitalScoreEvidenceRequired();
    /// @notice The adjustment's signer is not an alliance admin.
    error HospitalScoreNotAdmin(address signer);
    /// @notice `rating` is not one of 1..5.
    error HospitalScoreInvalidRating(uint8 rating);
    /// @notice No visit with this id exists in CareProcess.
    error HospitalScoreUnknownVisit(bytes32 visitId);
    /// @notice The visit is not finished yet.
    error HospitalScoreVisitNotFinished(bytes32 visitId);
    /// @notice Feedback on this visit was already given.
    error HospitalScoreFeedbackExists(bytes32 visitId);
    /// @notice An address given at deployment is zero.
    error HospitalScoreZeroAddress();

    /// @notice A hospital's score was initialized from its level.
    /// @param hospital The hospital.
    /// @param level Its level (1..3) at initialization.
    /// @param score The initial score (600, 700 or 800).
    event ScoreInitialized(address indexed hospital, uint8 level, int256 score);

    /// @notice An admin adjusted a hospital's score.
    /// @param hospital The hospital.
    /// @param reasonCode 1 misdiagnosis, 2 rescue of difficult cases, 3 pre-visit, 4 post-visit service.
    /// @param delta The signed delta as requested (before clamping).
    /// @param score The score after the adjustment (clamped to 0–1000).
    /// @param evidenceHash Hash of the evidence.
    /// @param admin The signing admin.
    event ScoreAdjusted(
        address indexed hospital,
        uint8 indexed reasonCode,
        int256 delta,
        int256 score,
        bytes32 evidenceHash,
        address indexed admin
    );

    /// @notice A patient rated a finished visit.
    /// @param visitId The visit.
    /// @param hospital The visit's hospital.
    /// @param patient The visit's patient (the signer).
    /// @param rating 1..5.
    /// @param score The hospital's score afterwards (clamped to 0–1000).
    event FeedbackGiven(
        bytes32 indexed visitId,
        address indexed hospital,
        address indexed patient,
        uint8 rating,
        int256 score
    );

    /// @notice Sets a hospital's initial score from its level in the alliance registry (1 → 600,
    ///         2 → 700, 3 → 800). Any relayer; once per hospital. Checks: sender, level set, not yet
    ///         initialized.
    /// @param hospital The hospital.
    function initialize(address hospital) external;

    /// @notice Adjusts a hospital's score with an alliance admin's EIP-712 signature over ScoreAdjustment.
    ///         Any relayer sends. Checks in this order: sender, reason, delta, evidence, signature
    ///         (deadline, admin, nonce), hospital initialized. The score is clamped to 0–1000.
    /// @param hospital The hospital.
    /// @param reasonCode 1 misdiagnosis (delta < 0), 2 rescue of difficult cases (delta > 0), 3 pre-visit
    ///        service, 4 post-visit service (either sign).
    /// @param delta Non-zero, |delta| ≤ 100.
    /// @param evidenceHash Hash of the evidence; non-zero.
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Deadline of the signature in ms.
    /// @param adminSig The admin's 65-byte signature.
    function adjust(
        address hospital,
        uint8 reasonCode,
        int256 delta,
        bytes32 evidenceHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external;

    /// @notice A patient's rating of a finished visit, EIP-712 signed by the visit's patient over
    ///         Feedback; the visit hospital's score moves by rating − 3 (clamped to 0–1000). Any relayer
    ///         sends. Checks in this order: sender, rating, visit known, signature (deadline, the visit's
    ///         patient, nonce), visit finished, no feedback yet, hospital initialized.
    /// @param visitId A CareProcess visit.
    /// @param rating 1..5.
    /// @param commentHash Hash of the comment (may be zero).
    /// @param nonce The patient's unordered nonce.
    /// @param deadline Deadline of the signature in ms.
    /// @param patientSig The patient's 65-byte signature.
    function feedback(
        bytes32 visitId,
        uint8 rating,
        bytes32 commentHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata patientSig
    ) external;

    /// @notice A hospital's score.
    /// @param hospital The hospital.
    /// @return score The current score on 0–1000 (0 before initialization).
    /// @return level The level used at initialization (0 before).
    /// @return feedbackCount Number of feedbacks received.
    /// @return ratingSum Sum of their ratings.
    /// @return initialized Whether `initialize` ran.
    function scoreOf(address hospital)
        external
        view
        returns (
            int256 score,
            uint8 level,
            uint256 feedbackCount,
            uint256 ratingSum,
            bool initialized
        );

    /// @notice The feedback given on a visit (all zero if none).
    /// @param visitId The visit.
    /// @return rating 1..5 (0 = none).
    /// @return commentHash Hash of the comment.
    /// @return givenAt Block time (ms) of the feedback.
    function feedbackOf(bytes32 visitId)
        external
        view
        returns (
            uint8 rating,
            bytes32 commentHash,
            uint256 givenAt
        );

    /// @notice The alliance registry used for relayers, admins and levels.
    /// @return registry The AllianceRegistry address.
    function allianceRegistry() external view returns (address registry);

    /// @notice The CareProcess whose visits can be rated.
    /// @return process The CareProcess address.
    function careProcess() external view returns (address process);
}
