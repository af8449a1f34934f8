// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "./ITypedSignatures.sol";

/// @title IPatientDelegation
/// @notice A patient lets a guardian or family member (the delegate) act for them within a scope and a
///         period. Both granting and revoking are signed by the patient and sent by any relayer.
/// @dev Scopes (bit mask): 1 grant and revoke access (ConsentManager), 2 co-sign records (EmrRegistry),
///      4 file complaints (ConsentManager). Times are milliseconds.
///      EIP-712 (name "PatientDelegation", version "1"):
///      Delegation(address patient,address delegate,uint8 scopes,uint256 validFrom,uint256 validUntil,uint256 nonce,uint256 deadline)
///      DelegationRevocation(address patient,address delegate,uint256 nonce,uint256 deadline)
interface IPatientDelegation is ITypedSignatures {
    /// @notice The sender is neither the alliance owner nor an approved hospital's operator.
    error PatientDelegationNotRelayer(address sender);
    /// @notice A required address argument is zero.
    error PatientDelegationZeroAddress();
    /// @notice A patient cannot delegate to themself.
    error PatientDelegationSelfDelegation(address patient);
    /// @notice `scopes` is zero or has bits outside 1|2|4.
    error PatientDelegationInvalidScopes(uint8 scopes);
    /// @notice The period is empty (validUntil ≤ validFrom) or already over (validUntil ≤ now).
    error PatientDelegationInvalidPeriod(uint256 validFrom, uint256 validUntil, uint256 nowMs);
    /// @notice `patient` never delegated to `delegate`.
    error PatientDelegationNotFound(address patient, address delegate);
    /// @notice The delegation of `patient` to `delegate` is already revoked.
    error PatientDelegationAlreadyRevoked(address patient, address delegate);

    /// @notice `patient` delegated `scopes` to `delegate` for [validFrom, validUntil] (ms); replaces any
    ///         earlier delegation between the two.
    event DelegationGranted(
        address indexed patient,
        address indexed delegate,
        uint8 scopes,
        uint256 validFrom,
        uint256 validUntil
    );
    /// @notice `patient` revoked the delegation to `delegate`.
    event DelegationRevoked(address indexed patient, address indexed delegate);

    /// @notice Records (or replaces) a delegation; any relayer sends it, the patient signs it.
    /// @param patient The patient delegating.
    /// @param delegate The guardian or family member.
    /// @param scopes Bit mask of 1 grant/revoke, 2 co-sign, 4 complaints (non-zero, no other bits).
    /// @param validFrom Start of the period (ms, inclusive).
    /// @param validUntil End of the period (ms, inclusive); must be after validFrom and after now.
    /// @param nonce The patient's unordered nonce.
    /// @param deadline Signature deadline (ms).
    /// @param patientSig The patient's EIP-712 signature over Delegation.
    function delegate(
        address patient,
        address delegate,
        uint8 scopes,
        uint256 validFrom,
        uint256 validUntil,
        uint256 nonce,
        uint256 deadline,
        bytes calldata patientSig
    ) external;

    /// @notice Revokes a delegation; any relayer sends it, the patient signs it.
    /// @param patient The patient.
    /// @param delegate The delegate whose delegation ends.
    /// @param nonce The patient's unordered nonce.
    /// @param deadline Signature deadline (ms).
    /// @param patientSig The patient's EIP-712 signature over DelegationRevocation.
    function revokeDelegation(
        address patient,
        address delegate,
        uint256 nonce,
        uint256 deadline,
        bytes calldata patientSig
    ) external;

    /// @notice Whether `delegate` may act for `patient` in every bit of `scope` now (within the period,
    ///         not revoked). False for scope 0.
    /// @param patient The patient.
    /// @param delegate The delegate.
    /// @param scope One scope bit (or several, all required).
    /// @return active True if the delegation covers `scope` now.
    /// @dev Reads `block.timestamp`: called as a view (not inside a transaction) on FISCO BCOS it answers as of
    ///      the last sealed block, which on an idle chain can be long past. Decide on expiry off chain.
    function isDelegate(
        address patient,
        address delegate,
        uint8 scope
    ) external view returns (bool active);

    /// @notice The stored delegation of `patient` to `delegate` (zeros if none).
    /// @param patient The patient.
    /// @param delegate The delegate.
    /// @return scopes The scope bit mask.
    /// @return validFrom Start of the period (ms).
    /// @return validUntil End of the period (ms).
    /// @return revoked Whether it was revoked.
    function delegationOf(address patient, address delegate)
        external
        view
        returns (
            uint8 scopes,
            uint256 validFrom,
            uint256 validUntil,
            bool revoked
        );

    /// @notice The AllianceRegistry whose relayers may send.
    /// @return registry Its address.
    function allianceRegistry() external view returns (address registry);
}
