// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "./ITypedSignatures.sol";

/// @title IAllianceRegistry
/// @notice Membership of the 医元疗 alliance: patients, doctors and hospitals apply with their own
///         signatures, alliance admins decide with theirs, and relayers (the alliance's chain account and
///         the operators of approved hospitals) send the transactions.
/// @dev Roles: 1 patient, 2 doctor, 3 hospital. Status: 0 none, 1 pending, 2 approved, 3 rejected,
///      4 revoked. Decisions: 1 approve, 2 reject, 3 revoke. Times are milliseconds.
///      EIP-712 (name "AllianceRegistry", version "1"):
///      Application(address applicant,uint8 role,address hospital,bytes32 profileHash,uint256 nonce,uint256 deadline)
///      Decision(address member,uint8 decision,bytes32 reasonHash,uint256 nonce,uint256 deadline)
///      HospitalLevel(address hospital,uint8 level,uint256 nonce,uint256 deadline)
///      Hospital levels: 1 一级, 2 二级, 3 三级 (0 = not set). A doctor's certification is issued by the
///      doctor's hospital (certifier = the hospital's address, sent by its operator).
///      `hospital` (in an Application, in MemberApplied and in memberOf) is the doctor's hospital for a
///      doctor and address(0) for a patient or a hospital.
interface IAllianceRegistry is ITypedSignatures {
    /// @notice Only the owner (the alliance's chain account) may send this.
    error AllianceRegistryNotOwner(address sender);
    /// @notice The sender is neither the owner nor the operator of an approved hospital.
    error AllianceRegistryNotRelayer(address sender);
    /// @notice The sender is not the operator of `hospital`.
    error AllianceRegistryNotHospitalOperator(address sender, address hospital);
    /// @notice `hospital` is not an approved hospital.
    error AllianceRegistryHospitalNotApproved(address hospital);
    /// @notice A required address argument is zero.
    error AllianceRegistryZeroAddress();
    /// @notice `member` cannot apply in its current status (only none or rejected may apply).
    error AllianceRegistryCannotApply(address member, uint8 status);
    /// @notice `operator` already operates another pending or approved hospital.
    error AllianceRegistryOperatorInUse(address operator, address hospital);
    /// @notice The decision code is not 1 (approve), 2 (reject) or 3 (revoke).
    error AllianceRegistryInvalidDecision(uint8 decision);
    /// @notice `decision` is not allowed for a member in `status` (approve/reject need pending, revoke
    ///         needs approved).
    error AllianceRegistryInvalidTransition(address member, uint8 status, uint8 decision);
    /// @notice The decision's signer is not an alliance admin.
    error AllianceRegistryNotAdmin(address signer);
    /// @notice `admin` is already an admin.
    error AllianceRegistryAdminExists(address admin);
    /// @notice `admin` is not an admin.
    error AllianceRegistryAdminNotFound(address admin);
    /// @notice The hospital level is not 1, 2 or 3.
    error AllianceRegistryInvalidLevel(uint8 level);
    /// @notice `account` is not registered as a doctor.
    error AllianceRegistryNotDoctor(address account);
    /// @notice `doctor` is not approved.
    error AllianceRegistryDoctorNotApproved(address doctor);
    /// @notice A certification's expiry (ms) is not later than the block time (ms).
    error AllianceRegistryInvalidExpiry(uint256 expiresAt, uint256 nowMs);
    /// @notice `doctor` has no certification that could be revoked (none, or already revoked).
    error AllianceRegistryNotCertified(address doctor);

    /// @notice A member applied (patient, hospital) or was registered by its hospital (doctor).
    /// @param member The applicant's address.
    /// @param role 1 patient, 2 doctor, 3 hospital.
    /// @param hospital The doctor's hospital; address(0) for a patient or a hospital.
    /// @param profileHash Hash of the off-chain profile (no PII on chain).
    /// @param operator The hospital's operator account for a hospital, else address(0).
    event MemberApplied(
        address indexed member,
        uint8 indexed role,
        address indexed hospital,
        bytes32 profileHash,
        address operator
    );
    /// @notice An admin's decision was applied.
    /// @param member The member decided on.
    /// @param decision 1 approve, 2 reject, 3 revoke.
    /// @param admin The admin who signed the decision.
    /// @param reasonHash Hash of the off-chain reason.
    event MemberDecided(address indexed member, uint8 indexed decision, address indexed admin, bytes32 reasonHash);
    /// @notice `admin` may now sign decisions.
    event AdminAdded(address indexed admin);
    /// @notice `admin` may no longer sign decisions.
    event AdminRemoved(address indexed admin);
    /// @notice An admin set a hospital's level.
    /// @param hospital The approved hospital.
    /// @param level 1 一级, 2 二级, 3 三级.
    /// @param admin The admin who signed HospitalLevel.
    event HospitalLevelSet(address indexed hospital, uint8 level, address indexed admin);
    /// @notice A hospital certified one of its doctors (replacing any earlier certification).
    /// @param doctor The approved doctor.
    /// @param certifier The doctor's hospital.
    /// @param credentialHash Hash of the off-chain credential (licence, title).
    /// @param department The department (e.g. keccak256 of its code).
    /// @param expiresAt Expiry in ms.
    event DoctorCertified(
        address indexed doctor,
        address indexed certifier,
        bytes32 credentialHash,
        bytes32 department,
        uint256 expiresAt
    );
    /// @notice A hospital revoked its doctor's certification.
    /// @param doctor The doctor.
    /// @param certifier The doctor's hospital.
    /// @param reasonHash Hash of the off-chain reason.
    event CertificationRevoked(address indexed doctor, address indexed certifier, bytes32 reasonHash);

    /// @notice A patient applies; sent by any relayer, authorized by the patient's signature.
    /// @param patient The patient's address (derived from the patient's own key).
    /// @param profileHash Hash of the off-chain profile.
    /// @param nonce The patient's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param sig The patient's 65-byte EIP-712 signature over Application(patient, 1, address(0), ...).
    function applyAsPatient(
        address patient,
        bytes32 profileHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata sig
    ) external;

    /// @notice A hospital applies; sent by the owner, authorized by the hospital admin's signature.
    /// @param hospital The hospital's address (its admin's key).
    /// @param operator The WeBASE account that will send the hospital's transactions once approved.
    /// @param profileHash Hash of the off-chain profile.
    /// @param nonce The hospital's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param sig The hospital's signature over Application(hospital, 3, address(0), profileHash, nonce, deadline).
    function applyAsHospital(
        address hospital,
        address operator,
        bytes32 profileHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata sig
    ) external;

    /// @notice An approved hospital registers one of its doctors; sent by the hospital's operator,
    ///         authorized by the doctor's signature. The doctor is then pending an admin's decision.
    /// @param doctor The doctor's address.
    /// @param hospital The doctor's hospital (must be approved; the sender must be its operator).
    /// @param profileHash Hash of the off-chain profile.
    /// @param nonce The doctor's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param sig The doctor's signature over Application(doctor, 2, hospital, profileHash, nonce, deadline).
    function registerDoctor(
        address doctor,
        address hospital,
        bytes32 profileHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata sig
    ) external;

    /// @notice Applies an admin's signed decision; sent by any relayer.
    /// @param member The member decided on.
    /// @param decision 1 approve (pending), 2 reject (pending), 3 revoke (approved).
    /// @param reasonHash Hash of the off-chain reason.
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param adminSig An alliance admin's signature over Decision(member, decision, reasonHash, nonce, deadline).
    function decide(
        address member,
        uint8 decision,
        bytes32 reasonHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external;

    /// @notice Adds a decision signer; owner only.
    /// @param admin The new admin.
    function addAdmin(address admin) external;

    /// @notice Removes a decision signer; owner only.
    /// @param admin The admin to remove.
    function removeAdmin(address admin) external;

    /// @notice Sets an approved hospital's level; sent by any relayer, authorized by an admin's signature.
    /// @param hospital The approved hospital.
    /// @param level 1 一级, 2 二级, 3 三级.
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param adminSig An alliance admin's signature over HospitalLevel(hospital, level, nonce, deadline).
    function setHospitalLevel(
        address hospital,
        uint8 level,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external;

    /// @notice Certifies an approved doctor; sent by the operator of the doctor's approved hospital, which
    ///         becomes the certifier. Replaces an earlier (also a revoked) certification.
    /// @param doctor The approved doctor.
    /// @param credentialHash Hash of the off-chain credential.
    /// @param department The doctor's department (e.g. keccak256 of its code).
    /// @param expiresAt Expiry in ms (must be later than the block time).
    function certifyDoctor(
        address doctor,
        bytes32 credentialHash,
        bytes32 department,
        uint256 expiresAt
    ) external;

    /// @notice Revokes a doctor's certification; sent by the operator of the doctor's approved hospital.
    /// @param doctor The certified doctor.
    /// @param reasonHash Hash of the off-chain reason.
    function revokeCertification(address doctor, bytes32 reasonHash) external;

    /// @notice An approved hospital's level.
    /// @param hospital The hospital.
    /// @return level 1 一级, 2 二级, 3 三级; 0 when not set.
    function hospitalLevel(address hospital) external view returns (uint8 level);

    /// @notice A doctor's latest certification (all zero when never certified).
    /// @param doctor The doctor.
    /// @return certifier The certifying hospital.
    /// @return credentialHash Hash of the off-chain credential.
    /// @return department The department.
    /// @return issuedAt Block time (ms) of the certification.
    /// @return expiresAt Expiry in ms.
    /// @return revoked Whether it was revoked.
    function certificationOf(address doctor)
        external
        view
        returns (
            address certifier,
            bytes32 credentialHash,
            bytes32 department,
            uint256 issuedAt,
            uint256 expiresAt,
            bool revoked
        );

    /// @notice Whether `doctor` is active (approved, with an approved hospital) and holds a certification
    ///         that is neither revoked nor expired.
    /// @param doctor The doctor.
    /// @return certified True when certified.
    /// @dev Reads `block.timestamp`: called as a view (not inside a transaction) on FISCO BCOS it answers as of
    ///      the last sealed block, which on an idle chain can be long past. Decide on expiry off chain.
    function isCertified(address doctor) external view returns (bool certified);

    /// @notice The approved hospital `operator` sends for.
    /// @param operator An account.
    /// @return hospital The approved hospital it operates, or address(0).
    function hospitalOfOperator(address operator) external view returns (address hospital);

    /// @notice A member's record (all zero for an unknown address).
    /// @param member The address to look up.
    /// @return role 1 patient, 2 doctor, 3 hospital (0 none).
    /// @return status 0 none, 1 pending, 2 approved, 3 rejected, 4 revoked.
    /// @return hospital The doctor's hospital; address(0) for a patient or a hospital.
    /// @return profileHash Hash of the off-chain profile.
    /// @return operator The hospital's operator for a hospital, else address(0).
    function memberOf(address member)
        external
        view
        returns (
            uint8 role,
            uint8 status,
            address hospital,
            bytes32 profileHash,
            address operator
        );

    /// @notice Whether `member` is approved in `role`; a doctor also needs an approved hospital.
    /// @param member The address to check.
    /// @param role 1 patient, 2 doctor, 3 hospital.
    /// @return active True when active.
    function isActive(address member, uint8 role) external view returns (bool active);

    /// @notice The operator account registered for `hospital` (whatever the hospital's status).
    /// @param hospital The hospital's address.
    /// @return operator The operator, or address(0).
    function operatorOf(address hospital) external view returns (address operator);

    /// @notice Whether `account` may sign decisions.
    /// @param account The address to check.
    /// @return admin True for an admin.
    function isAdmin(address account) external view returns (bool admin);

    /// @notice Whether `account` may relay signed actions (the owner or an approved hospital's operator).
    /// @param account The address to check.
    /// @return relayer True for a relayer.
    function isRelayer(address account) external view returns (bool relayer);

    /// @notice The owner: the alliance's chain account that deployed the registry.
    /// @return account The owner.
    function owner() external view returns (address account);
}
