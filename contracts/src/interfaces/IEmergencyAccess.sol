// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "./ITypedSignatures.sol";

/// @title IEmergencyAccess
/// @notice Break-glass: a certified doctor opens one record without a grant, stating a reason; the
///         operator of the doctor's hospital sends it. Rate-limited per doctor; admins review afterwards.
/// @dev Reason codes: 1 unconscious patient, 2 life-threatening emergency, 3 other (justification
///      required, non-zero). Review outcomes: 1 justified, 2 abusive. Times are milliseconds.
///      Access ids run from 1.
///      EIP-712 (name "EmergencyAccess", version "1"):
///      EmergencyAccess(bytes32 recordId,uint8 reasonCode,bytes32 justificationHash,uint256 nonce,uint256 deadline)
///      EmergencyReview(uint256 accessId,uint8 outcome,uint256 nonce,uint256 deadline)
interface IEmergencyAccess is ITypedSignatures {
    /// @notice Only the owner (the deployer) may send this.
    error EmergencyAccessNotOwner(address sender);
    /// @notice The sender is neither the alliance owner nor an approved hospital's operator.
    error EmergencyAccessNotRelayer(address sender);
    /// @notice The sender is not the operator of `hospital` (the doctor's hospital).
    error EmergencyAccessNotHospitalOperator(address sender, address hospital);
    /// @notice A required address argument is zero.
    error EmergencyAccessZeroAddress();
    /// @notice `doctor` is not an active doctor of an approved hospital.
    error EmergencyAccessDoctorNotActive(address doctor);
    /// @notice `doctor` has no valid certification.
    error EmergencyAccessNotCertified(address doctor);
    /// @notice The reason code is not 1, 2 or 3.
    error EmergencyAccessInvalidReasonCode(uint8 reasonCode);
    /// @notice Reason 3 (other) needs a non-zero justification hash.
    error EmergencyAccessJustificationRequired(uint8 reasonCode);
    /// @notice The record was never written.
    error EmergencyAccessRecordNotFound(bytes32 recordId);
    /// @notice The record was deleted.
    error EmergencyAccessRecordDeleted(bytes32 recordId);
    /// @notice `doctor` already broke the glass `used` times within the window; next possible at `retryAt` (ms).
    error EmergencyAccessRateLimited(address doctor, uint256 used, uint256 retryAt);
    /// @notice The review outcome is not 1 (justified) or 2 (abusive).
    error EmergencyAccessInvalidOutcome(uint8 outcome);
    /// @notice No emergency access with this id.
    error EmergencyAccessNotFound(uint256 accessId);
    /// @notice The access was already reviewed with `outcome`.
    error EmergencyAccessAlreadyReviewed(uint256 accessId, uint8 outcome);
    /// @notice The review's signer is not an alliance admin.
    error EmergencyAccessNotAdmin(address signer);
    /// @notice Rate-limit values must be non-zero, and maxPerWindow at most 1000.
    error EmergencyAccessInvalidPolicy(uint256 maxPerWindow, uint256 windowMs);

    /// @notice `doctor` of `hospital` broke the glass on the record of `patient`.
    /// @param accessId The id to review it by (added to the spec's event so a reviewer can find it).
    event EmergencyAccessed(
        bytes32 indexed recordId,
        address indexed doctor,
        address indexed patient,
        address hospital,
        uint8 reasonCode,
        bytes32 justificationHash,
        uint256 accessId
    );
    /// @notice An admin reviewed an emergency access: 1 justified, 2 abusive.
    event EmergencyReviewed(uint256 indexed accessId, uint8 outcome, address indexed admin);
    /// @notice The owner set the rate limit.
    event RateLimitSet(uint256 maxPerWindow, uint256 windowMs);

    /// @notice Break-glass access to one record; sent by the operator of the doctor's hospital.
    /// @param recordId The record opened.
    /// @param doctor A certified doctor.
    /// @param reasonCode 1 unconscious patient, 2 life-threatening emergency, 3 other.
    /// @param justificationHash Hash of the written justification (required for 3).
    /// @param nonce The doctor's unordered nonce.
    /// @param deadline Signature deadline (ms).
    /// @param doctorSig The doctor's EIP-712 signature over EmergencyAccess.
    function breakGlass(
        bytes32 recordId,
        address doctor,
        uint8 reasonCode,
        bytes32 justificationHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata doctorSig
    ) external;

    /// @notice An admin marks an emergency access justified (1) or abusive (2), once; any relayer sends.
    /// @param accessId The access.
    /// @param outcome 1 justified, 2 abusive.
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Signature deadline (ms).
    /// @param adminSig The admin's EIP-712 signature over EmergencyReview.
    function reviewEmergency(
        uint256 accessId,
        uint8 outcome,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external;

    /// @notice Sets the per-doctor rate limit: at most `maxPerWindow` break-glass accesses within `windowMs`.
    /// @param maxPerWindow 1–1000.
    /// @param windowMs Non-zero (ms).
    function setRateLimit(uint256 maxPerWindow, uint256 windowMs) external;

    /// @notice An emergency access (zeros if none).
    function accessOf(uint256 accessId)
        external
        view
        returns (
            bytes32 recordId,
            address doctor,
            address patient,
            address hospital,
            uint8 reasonCode,
            bytes32 justificationHash,
            uint256 accessedAt,
            uint8 outcome,
            address reviewer
        );

    /// @notice Number of emergency accesses (the latest id).
    function accessCount() external view returns (uint256 count);

    /// @notice How many times `doctor` broke the glass within the current window.
    /// @dev Reads `block.timestamp`: called as a view (not inside a transaction) on FISCO BCOS it answers as of
    ///      the last sealed block, which on an idle chain can be long past. Decide on expiry off chain.
    function recentAccesses(address doctor) external view returns (uint256 count);

    /// @notice The rate limit.
    function rateLimit() external view returns (uint256 maxPerWindow, uint256 windowMs);

    /// @notice The owner (deployer), who sets the rate limit.
    function owner() external view returns (address account);
}
