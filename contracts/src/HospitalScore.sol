// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {IHospitalScore} from "./interfaces/IHospitalScore.sol";
import {ICareAlliance} from "./interfaces/ICareAlliance.sol";
import {ICareProcess} from "./interfaces/ICareProcess.sol";
import {TypedSignatures} from "./base/TypedSignatures.sol";

/// @title HospitalScore
/// @notice The hospitals' evaluation score (see IHospitalScore).
contract HospitalScore is IHospitalScore, TypedSignatures {
    uint8 internal constant REASON_MISDIAGNOSIS = 1;
    uint8 internal constant REASON_RESCUE = 2;
    uint8 internal constant REASON_POST_VISIT = 4;

    int256 internal constant MAX_SCORE = 1000;
    int256 internal constant MAX_DELTA = 100;
    int256 internal constant NEUTRAL_RATING = 3;

    bytes32 internal constant SCORE_ADJUSTMENT_TYPEHASH =
        keccak256(
            "ScoreAdjustment(address hospital,uint8 reasonCode,int256 delta,bytes32 evidenceHash,uint256 nonce,uint256 deadline)"
        );
    bytes32 internal constant FEEDBACK_TYPEHASH =
        keccak256("Feedback(bytes32 visitId,uint8 rating,bytes32 commentHash,uint256 nonce,uint256 deadline)");

    struct Score {
        int256 score;
        uint8 level;
        bool initialized;
        uint256 feedbackCount;
        uint256 ratingSum;
    }

    struct Rating {
        uint8 rating;
        bytes32 commentHash;
        uint256 givenAt;
    }

    ICareAlliance private immutable _alliance;
    ICareProcess private immutable _care;
    mapping(address => Score) private _scores;
    mapping(bytes32 => Rating) private _feedback;

    /// @param alliance The AllianceRegistry (relayers, admins, hospital levels).
    /// @param care The CareProcess whose finished visits patients rate.
    /// @param chainId The chain id used in the EIP-712 domain.
    constructor(
        address alliance,
        address care,
        uint256 chainId
    ) TypedSignatures("HospitalScore", chainId) {
        if (alliance == address(0) || care == address(0)) revert HospitalScoreZeroAddress();
        _alliance = ICareAlliance(alliance);
        _care = ICareProcess(care);
    }

    modifier onlyRelayer() {
        if (!_alliance.isRelayer(msg.sender)) revert HospitalScoreNotRelayer(msg.sender);
        _;
    }

    /// @inheritdoc IHospitalScore
    function initialize(address hospital) external override onlyRelayer {
        uint8 level = _alliance.hospitalLevel(hospital);
        if (level == 0 || level > 3) revert HospitalScoreLevelNotSet(hospital, level);
        Score storage s = _scores[hospital];
        if (s.initialized) revert HospitalScoreAlreadyInitialized(hospital);
        // 一级 600, 二级 700, 三级 800.
        int256 score = 500 + int256(uint256(level)) * 100;
        s.score = score;
        s.level = level;
        s.initialized = true;
        emit ScoreInitialized(hospital, level, score);
    }

    /// @inheritdoc IHospitalScore
    function adjust(
        address hospital,
        uint8 reasonCode,
        int256 delta,
        bytes32 evidenceHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override onlyRelayer {
        if (reasonCode < REASON_MISDIAGNOSIS || reasonCode > REASON_POST_VISIT) {
            revert HospitalScoreInvalidReason(reasonCode);
        }
        if (
            delta == 0 ||
            (reasonCode == REASON_MISDIAGNOSIS && delta > 0) ||
            (reasonCode == REASON_RESCUE && delta < 0)
        ) revert HospitalScoreInvalidDelta(reasonCode, delta);
        if (delta > MAX_DELTA || delta < -MAX_DELTA) revert HospitalScoreDeltaOutOfRange(delta);
        if (evidenceHash == bytes32(0)) revert HospitalScoreEvidenceRequired();
        address admin = _recoverSigner(
            deadline,
            keccak256(
                abi.encode(SCORE_ADJUSTMENT_TYPEHASH, hospital, reasonCode, delta, evidenceHash, nonce, deadline)
            ),
            adminSig
        );
        if (!_alliance.isAdmin(admin)) revert HospitalScoreNotAdmin(admin);
        _useNonce(admin, nonce);

        int256 score = _move(hospital, delta);
        emit ScoreAdjusted(hospital, reasonCode, delta, score, evidenceHash, admin);
    }

    /// @inheritdoc IHospitalScore
    function feedback(
        bytes32 visitId,
        uint8 rating,
        bytes32 commentHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata patientSig
    ) external override onlyRelayer {
        if (rating < 1 || rating > 5) revert HospitalScoreInvalidRating(rating);
        (address patient, address hospital, , bool finished, , ) = _care.visitOf(visitId);
        if (patient == address(0)) revert HospitalScoreUnknownVisit(visitId);
        _useSignature(
            patient,
            nonce,
            deadline,
            keccak256(abi.encode(FEEDBACK_TYPEHASH, visitId, rating, commentHash, nonce, deadline)),
            patientSig
        );
        if (!finished) revert HospitalScoreVisitNotFinished(visitId);
        Rating storage r = _feedback[visitId];
        if (r.rating != 0) revert HospitalScoreFeedbackExists(visitId);

        r.rating = rating;
        r.commentHash = commentHash;
        r.givenAt = block.timestamp;
        int256 score = _move(hospital, int256(uint256(rating)) - NEUTRAL_RATING);
        Score storage s = _scores[hospital];
        s.feedbackCount += 1;
        s.ratingSum += rating;
        emit FeedbackGiven(visitId, hospital, patient, rating, score);
    }

    /// @inheritdoc IHospitalScore
    function scoreOf(address hospital)
        external
        view
        override
        returns (
            int256 score,
            uint8 level,
            uint256 feedbackCount,
            uint256 ratingSum,
            bool initialized
        )
    {
        Score storage s = _scores[hospital];
        return (s.score, s.level, s.feedbackCount, s.ratingSum, s.initialized);
    }

    /// @inheritdoc IHospitalScore
    function feedbackOf(bytes32 visitId)
        external
        view
        override
        returns (
            uint8 rating,
            bytes32 commentHash,
            uint256 givenAt
        )
    {
        Rating storage r = _feedback[visitId];
        return (r.rating, r.commentHash, r.givenAt);
    }

    /// @inheritdoc IHospitalScore
    function allianceRegistry() external view override returns (address registry) {
        return address(_alliance);
    }

    /// @inheritdoc IHospitalScore
    function careProcess() external view override returns (address process) {
        return address(_care);
    }

    /// @dev Adds `delta` to an initialized hospital's score, clamped to 0–1000; returns the new score.
    function _move(address hospital, int256 delta) private returns (int256 score) {
        Score storage s = _scores[hospital];
        if (!s.initialized) revert HospitalScoreNotInitialized(hospital);
        score = s.score + delta;
        if (score < 0) score = 0;
        else if (score > MAX_SCORE) score = MAX_SCORE;
        s.score = score;
    }
}
