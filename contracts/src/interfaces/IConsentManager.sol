// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "./ITypedSignatures.sol";

/// @title IConsentManager
/// @notice Patients' access grants (per record or per category), hospitals' access requests with their
///         outcome on chain, the requester blacklist and patients' complaints.
/// @dev Scope kinds: 1 record (scope = record id), 2 category (scope = keccak256("category:<name>")).
///      Levels: 1 view, 2 view + research. Request reasons: 1 record grant, 2 category grant, 10 no grant,
///      11 expired, 12 blacklisted, 13 record deleted. grantId = keccak256(abi.encode(patient, scope, grantee)).
///      A grant is active while not revoked and now < expiresAt. Times are milliseconds.
///      Grants, revocations and complaints are signed by the patient or by a delegate holding the
///      PatientDelegation scope 1 (grant/revoke) or 4 (complaints); any relayer sends them.
///      EIP-712 (name "ConsentManager", version "1"):
///      Grant(address patient,bytes32 scope,uint8 scopeKind,address grantee,uint8 level,uint256 expiresAt,uint256 nonce,uint256 deadline)
///      Revocation(address patient,bytes32 scope,address grantee,uint256 nonce,uint256 deadline)
///      BlacklistLift(address requester,uint256 nonce,uint256 deadline)
///      Complaint(address patient,bytes32 subject,bytes32 evidenceHash,uint256 nonce,uint256 deadline)
interface IConsentManager is ITypedSignatures {
    /// @notice Only the owner (the deployer) may send this.
    error ConsentManagerNotOwner(address sender);
    /// @notice The sender is neither the alliance owner nor an approved hospital's operator.
    error ConsentManagerNotRelayer(address sender);
    /// @notice The sender does not operate an approved hospital.
    error ConsentManagerNotHospitalOperator(address sender);
    /// @notice A required address argument is zero.
    error ConsentManagerZeroAddress();
    /// @notice The record was never written.
    error ConsentManagerRecordNotFound(bytes32 recordId);
    /// @notice `hospital` did not write the record.
    error ConsentManagerNotRecordHospital(bytes32 recordId, address hospital);
    /// @notice The category is zero.
    error ConsentManagerInvalidCategory(bytes32 category);
    /// @notice The record already has a category.
    error ConsentManagerAlreadyClassified(bytes32 recordId, bytes32 category);
    /// @notice The scope kind is not 1 (record) or 2 (category).
    error ConsentManagerInvalidScopeKind(uint8 scopeKind);
    /// @notice The scope is zero.
    error ConsentManagerInvalidScope(bytes32 scope);
    /// @notice A record grant names a record whose patient is not `patient`.
    error ConsentManagerNotRecordPatient(bytes32 recordId, address patient);
    /// @notice The level is not 1 (view) or 2 (view + research).
    error ConsentManagerInvalidLevel(uint8 level);
    /// @notice The grant's expiry (ms) is not after now (ms).
    error ConsentManagerInvalidExpiry(uint256 expiresAt, uint256 nowMs);
    /// @notice `signer` is neither `patient` nor a delegate of theirs with `scope`.
    error ConsentManagerNotAuthorized(address signer, address patient, uint8 scope);
    /// @notice There is no grant of `patient` on `scope` to `grantee`.
    error ConsentManagerGrantNotFound(address patient, bytes32 scope, address grantee);
    /// @notice The grant is already revoked.
    error ConsentManagerGrantAlreadyRevoked(address patient, bytes32 scope, address grantee);
    /// @notice The signer of a blacklist lift is not an alliance admin.
    error ConsentManagerNotAdmin(address signer);
    /// @notice `requester` is not blacklisted.
    error ConsentManagerNotBlacklisted(address requester);
    /// @notice A complaint needs a non-zero subject and evidence hash.
    error ConsentManagerInvalidComplaint(bytes32 subject, bytes32 evidenceHash);
    /// @notice Blacklist policy values must be non-zero, and maxDenied at most 1000.
    error ConsentManagerInvalidPolicy(uint256 maxDenied, uint256 windowMs);

    /// @notice A grant was made or replaced.
    event AccessGranted(
        bytes32 indexed grantId,
        address indexed patient,
        address indexed grantee,
        bytes32 scope,
        uint8 scopeKind,
        uint8 level,
        uint256 expiresAt,
        address signer
    );
    /// @notice A grant was revoked.
    event AccessRevoked(
        bytes32 indexed grantId,
        address indexed patient,
        address indexed grantee,
        bytes32 scope,
        address signer
    );
    /// @notice The hospital that wrote the record put it in `category`.
    event RecordClassified(bytes32 indexed recordId, bytes32 indexed category, address indexed hospital);
    /// @notice A hospital asked to open a record, and the outcome.
    /// @param granted Whether access is granted.
    /// @param reason 1 record grant, 2 category grant, 10 no grant, 11 expired, 12 blacklisted, 13 deleted.
    /// @param level The granted level (0 when denied).
    event AccessRequested(
        bytes32 indexed recordId,
        address indexed requester,
        address indexed patient,
        bool granted,
        uint8 reason,
        uint8 level,
        bytes32 purposeHash
    );
    /// @notice `requester` reached `denied` denials since `windowStart` (ms), within the window.
    event Blacklisted(address indexed requester, uint256 denied, uint256 windowStart);
    /// @notice An admin lifted `requester`'s blacklisting; earlier denials no longer count.
    event BlacklistLifted(address indexed requester, address indexed admin);
    /// @notice A complaint was filed (signer = the patient or their delegate).
    event ComplaintFiled(
        uint256 indexed complaintId,
        address indexed patient,
        bytes32 indexed subject,
        bytes32 evidenceHash,
        address signer
    );
    /// @notice The owner set the blacklist policy.
    event BlacklistPolicySet(uint256 maxDenied, uint256 windowMs);

    /// @notice Puts a record in a category, once; sent by the operator of the hospital that wrote it.
    /// @param recordId The record.
    /// @param category keccak256("category:<name>"), non-zero.
    function classifyRecord(bytes32 recordId, bytes32 category) external;

    /// @notice Grants (or replaces the grant of) `grantee` access to a record or category of `patient`.
    /// @param patient The patient.
    /// @param scope The record id (kind 1) or category (kind 2).
    /// @param scopeKind 1 record, 2 category.
    /// @param grantee A hospital or a person.
    /// @param level 1 view, 2 view + research.
    /// @param expiresAt End of the grant (ms, exclusive), after now.
    /// @param nonce The signer's unordered nonce.
    /// @param deadline Signature deadline (ms).
    /// @param signer The patient or a delegate with scope 1.
    /// @param sig The signer's EIP-712 signature over Grant.
    function grant(
        address patient,
        bytes32 scope,
        uint8 scopeKind,
        address grantee,
        uint8 level,
        uint256 expiresAt,
        uint256 nonce,
        uint256 deadline,
        address signer,
        bytes calldata sig
    ) external;

    /// @notice Revokes a grant; signed by the patient or a delegate with scope 1, any relayer sends.
    /// @param patient The patient.
    /// @param scope The record id or category.
    /// @param grantee The grantee.
    /// @param nonce The signer's unordered nonce.
    /// @param deadline Signature deadline (ms).
    /// @param signer The patient or a delegate with scope 1.
    /// @param sig The signer's EIP-712 signature over Revocation.
    function revoke(
        address patient,
        bytes32 scope,
        address grantee,
        uint256 nonce,
        uint256 deadline,
        address signer,
        bytes calldata sig
    ) external;

    /// @notice A hospital's operator asks to open a record for its hospital; the outcome is emitted
    ///         (AccessRequested) and a denial counts toward the blacklist.
    /// @dev Order: a blacklisted requester gets 12 (not counted again); a deleted record 13; then the best
    ///      active grant (record grant on equal levels → 1, else the category grant → 2); else 11 if an
    ///      unrevoked covering grant has expired, else 10. Denials 10, 11 and 13 count: once `maxDenied` of
    ///      them fall within `windowMs` (sliding window) the requester is blacklisted (Blacklisted).
    ///      Reverts (nothing counted) for a sender that operates no approved hospital or an unknown record.
    /// @param recordId The record.
    /// @param purposeHash Hash of the stated purpose.
    function requestAccess(bytes32 recordId, bytes32 purposeHash) external;

    /// @notice The owner (the alliance's account, which authenticates the reader off chain) asks on
    ///         behalf of a person, such as a regulator or a doctor holding a personal grant, to open a
    ///         record. Decided, emitted and counted exactly as `requestAccess`, with `requester` as the
    ///         requester.
    /// @param recordId The record.
    /// @param requester The person asking; not zero.
    /// @param purposeHash Hash of the stated purpose.
    function requestAccessFor(
        bytes32 recordId,
        address requester,
        bytes32 purposeHash
    ) external;

    /// @notice The owner (the alliance's account, which checked the reader's attributes against the
    ///         policy off chain) asks on behalf of `requester` to open a record under the grant held by
    ///         `policyGrantee`, the account standing for a CP-ABE policy (nobody holds its key). Decided as
    ///         `requestAccess` against that account's grants (record or category, expiry, revocation,
    ///         deletion); blacklisting, the AccessRequested event and a denial's count all go to
    ///         `requester`, never to the policy account.
    /// @param recordId The record.
    /// @param requester The person asking; not zero.
    /// @param policyGrantee The policy's account, the grantee of the patient's grant; not zero.
    /// @param purposeHash Hash of the stated purpose.
    function requestAccessUnderPolicy(
        bytes32 recordId,
        address requester,
        address policyGrantee,
        bytes32 purposeHash
    ) external;

    /// @notice An admin lifts a blacklisting; any relayer sends it.
    /// @param requester The blacklisted hospital.
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Signature deadline (ms).
    /// @param adminSig The admin's EIP-712 signature over BlacklistLift.
    function liftBlacklist(
        address requester,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external;

    /// @notice Files a complaint; signed by the patient or a delegate with scope 4, any relayer sends.
    /// @param patient The patient.
    /// @param subject What the complaint is about (e.g. a hospital address or a record id), non-zero.
    /// @param evidenceHash Hash of the off-chain evidence, non-zero.
    /// @param nonce The signer's unordered nonce.
    /// @param deadline Signature deadline (ms).
    /// @param signer The patient or a delegate with scope 4.
    /// @param sig The signer's EIP-712 signature over Complaint.
    function fileComplaint(
        address patient,
        bytes32 subject,
        bytes32 evidenceHash,
        uint256 nonce,
        uint256 deadline,
        address signer,
        bytes calldata sig
    ) external;

    /// @notice Sets the blacklist policy: `maxDenied` denials within `windowMs` blacklist a requester.
    /// @param maxDenied Denials that blacklist (1–1000).
    /// @param windowMs The window (ms, non-zero).
    function setBlacklistPolicy(uint256 maxDenied, uint256 windowMs) external;

    /// @notice The best active grant covering the record for `grantee` (record or category grant).
    /// @param recordId The record.
    /// @param grantee The grantee.
    /// @return level 0 none, 1 view, 2 view + research.
    /// @return expiresAt The expiry (ms) of that grant (the later one on equal levels).
    /// @dev Reads `block.timestamp`: called as a view (not inside a transaction) on FISCO BCOS it answers as of
    ///      the last sealed block, which on an idle chain can be long past. Decide on expiry off chain.
    function accessLevel(bytes32 recordId, address grantee) external view returns (uint8 level, uint256 expiresAt);

    /// @notice Σ over distinct grantees with an active grant covering the record of their best level
    ///         (level 1 → 1, level 2 → 2); 0 for a deleted or unknown record.
    /// @param recordId The record.
    /// @return share The record's share.
    /// @dev Reads `block.timestamp`: called as a view (not inside a transaction) on FISCO BCOS it answers as of
    ///      the last sealed block, which on an idle chain can be long past. Decide on expiry off chain.
    function shareOf(bytes32 recordId) external view returns (uint256 share);

    /// @notice Whether `requester` is blacklisted.
    function isBlacklisted(address requester) external view returns (bool blacklisted);

    /// @notice The record's category (zero if unclassified).
    function categoryOf(bytes32 recordId) external view returns (bytes32 category);

    /// @notice The stored grant (zeros if none).
    /// @return level 1 or 2 (0 if none).
    /// @return expiresAt Expiry (ms).
    /// @return revoked Whether revoked.
    function grantOf(
        address patient,
        bytes32 scope,
        address grantee
    )
        external
        view
        returns (
            uint8 level,
            uint256 expiresAt,
            bool revoked
        );

    /// @notice A filed complaint (zeros if none).
    function complaintOf(uint256 complaintId)
        external
        view
        returns (
            address patient,
            bytes32 subject,
            bytes32 evidenceHash,
            address signer,
            uint256 filedAt
        );

    /// @notice Number of complaints filed (ids run from 1).
    function complaintCount() external view returns (uint256 count);

    /// @notice The blacklist policy.
    /// @return maxDenied Denials that blacklist.
    /// @return windowMs The window (ms).
    function blacklistPolicy() external view returns (uint256 maxDenied, uint256 windowMs);

    /// @notice Denials of `requester` counted since the last lift.
    function deniedCount(address requester) external view returns (uint256 denied);

    /// @notice The owner (deployer), who sets the blacklist policy.
    function owner() external view returns (address account);
}
