// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {IAllianceRegistry} from "./interfaces/IAllianceRegistry.sol";
import {TypedSignatures} from "./base/TypedSignatures.sol";

/// @title AllianceRegistry
/// @notice Membership of the 医元疗 medical-data alliance (see IAllianceRegistry).
contract AllianceRegistry is IAllianceRegistry, TypedSignatures {
    uint8 internal constant ROLE_PATIENT = 1;
    uint8 internal constant ROLE_DOCTOR = 2;
    uint8 internal constant ROLE_HOSPITAL = 3;

    uint8 internal constant STATUS_NONE = 0;
    uint8 internal constant STATUS_PENDING = 1;
    uint8 internal constant STATUS_APPROVED = 2;
    uint8 internal constant STATUS_REJECTED = 3;
    uint8 internal constant STATUS_REVOKED = 4;

    uint8 internal constant DECISION_APPROVE = 1;
    uint8 internal constant DECISION_REJECT = 2;
    uint8 internal constant DECISION_REVOKE = 3;

    bytes32 internal constant APPLICATION_TYPEHASH =
        keccak256(
            "Application(address applicant,uint8 role,address hospital,bytes32 profileHash,uint256 nonce,uint256 deadline)"
        );
    bytes32 internal constant DECISION_TYPEHASH =
        keccak256("Decision(address member,uint8 decision,bytes32 reasonHash,uint256 nonce,uint256 deadline)");
    bytes32 internal constant HOSPITAL_LEVEL_TYPEHASH =
        keccak256("HospitalLevel(address hospital,uint8 level,uint256 nonce,uint256 deadline)");

    uint8 internal constant MAX_LEVEL = 3;

    struct Member {
        uint8 role;
        uint8 status;
        address hospital;
        bytes32 profileHash;
        address operator;
    }

    struct Certification {
        address certifier;
        bytes32 credentialHash;
        bytes32 department;
        uint256 issuedAt;
        uint256 expiresAt;
        bool revoked;
    }

    address private immutable _owner;
    mapping(address => Member) private _members;
    mapping(address => bool) private _admins;
    /// @dev The hospital an operator account was last bound to.
    mapping(address => address) private _operatorHospital;
    mapping(address => uint8) private _hospitalLevel;
    mapping(address => Certification) private _certifications;

    /// @param admins The initial decision signers.
    /// @param chainId The chain id used in the EIP-712 domain.
    constructor(address[] memory admins, uint256 chainId) TypedSignatures("AllianceRegistry", chainId) {
        _owner = msg.sender;
        for (uint256 i = 0; i < admins.length; i++) {
            _addAdmin(admins[i]);
        }
    }

    modifier onlyOwner() {
        if (msg.sender != _owner) revert AllianceRegistryNotOwner(msg.sender);
        _;
    }

    modifier onlyRelayer() {
        if (!_isRelayer(msg.sender)) revert AllianceRegistryNotRelayer(msg.sender);
        _;
    }

    /// @inheritdoc IAllianceRegistry
    function applyAsPatient(
        address patient,
        bytes32 profileHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata sig
    ) external override onlyRelayer {
        if (patient == address(0)) revert AllianceRegistryZeroAddress();
        _useSignature(
            patient,
            nonce,
            deadline,
            _applicationHash(patient, ROLE_PATIENT, address(0), profileHash, nonce, deadline),
            sig
        );
        _apply(patient, ROLE_PATIENT, address(0), profileHash, address(0));
    }

    /// @inheritdoc IAllianceRegistry
    function applyAsHospital(
        address hospital,
        address operator,
        bytes32 profileHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata sig
    ) external override onlyOwner {
        if (hospital == address(0) || operator == address(0)) revert AllianceRegistryZeroAddress();
        _useSignature(
            hospital,
            nonce,
            deadline,
            _applicationHash(hospital, ROLE_HOSPITAL, address(0), profileHash, nonce, deadline),
            sig
        );
        address bound = _operatorHospital[operator];
        if (bound != address(0) && bound != hospital && _members[bound].operator == operator) {
            uint8 boundStatus = _members[bound].status;
            if (boundStatus == STATUS_PENDING || boundStatus == STATUS_APPROVED) {
                revert AllianceRegistryOperatorInUse(operator, bound);
            }
        }
        _operatorHospital[operator] = hospital;
        _apply(hospital, ROLE_HOSPITAL, address(0), profileHash, operator);
    }

    /// @inheritdoc IAllianceRegistry
    function registerDoctor(
        address doctor,
        address hospital,
        bytes32 profileHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata sig
    ) external override {
        if (doctor == address(0) || hospital == address(0)) revert AllianceRegistryZeroAddress();
        Member storage h = _members[hospital];
        if (h.role != ROLE_HOSPITAL || h.status != STATUS_APPROVED) {
            revert AllianceRegistryHospitalNotApproved(hospital);
        }
        if (msg.sender != h.operator) revert AllianceRegistryNotHospitalOperator(msg.sender, hospital);
        _useSignature(
            doctor,
            nonce,
            deadline,
            _applicationHash(doctor, ROLE_DOCTOR, hospital, profileHash, nonce, deadline),
            sig
        );
        _apply(doctor, ROLE_DOCTOR, hospital, profileHash, address(0));
    }

    /// @inheritdoc IAllianceRegistry
    function decide(
        address member,
        uint8 decision,
        bytes32 reasonHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override onlyRelayer {
        if (decision < DECISION_APPROVE || decision > DECISION_REVOKE) {
            revert AllianceRegistryInvalidDecision(decision);
        }
        address admin = _recoverSigner(
            deadline,
            keccak256(abi.encode(DECISION_TYPEHASH, member, decision, reasonHash, nonce, deadline)),
            adminSig
        );
        if (!_admins[admin]) revert AllianceRegistryNotAdmin(admin);
        _useNonce(admin, nonce);

        Member storage m = _members[member];
        uint8 status = m.status;
        if (decision == DECISION_REVOKE) {
            if (status != STATUS_APPROVED) revert AllianceRegistryInvalidTransition(member, status, decision);
            m.status = STATUS_REVOKED;
        } else {
            if (status != STATUS_PENDING) revert AllianceRegistryInvalidTransition(member, status, decision);
            m.status = decision == DECISION_APPROVE ? STATUS_APPROVED : STATUS_REJECTED;
        }
        emit MemberDecided(member, decision, admin, reasonHash);
    }

    /// @inheritdoc IAllianceRegistry
    function addAdmin(address admin) external override onlyOwner {
        _addAdmin(admin);
    }

    /// @inheritdoc IAllianceRegistry
    function removeAdmin(address admin) external override onlyOwner {
        if (!_admins[admin]) revert AllianceRegistryAdminNotFound(admin);
        _admins[admin] = false;
        emit AdminRemoved(admin);
    }

    /// @inheritdoc IAllianceRegistry
    function setHospitalLevel(
        address hospital,
        uint8 level,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override onlyRelayer {
        if (level == 0 || level > MAX_LEVEL) revert AllianceRegistryInvalidLevel(level);
        address admin = _recoverSigner(
            deadline,
            keccak256(abi.encode(HOSPITAL_LEVEL_TYPEHASH, hospital, level, nonce, deadline)),
            adminSig
        );
        if (!_admins[admin]) revert AllianceRegistryNotAdmin(admin);
        _useNonce(admin, nonce);
        Member storage h = _members[hospital];
        if (h.role != ROLE_HOSPITAL || h.status != STATUS_APPROVED) {
            revert AllianceRegistryHospitalNotApproved(hospital);
        }
        _hospitalLevel[hospital] = level;
        emit HospitalLevelSet(hospital, level, admin);
    }

    /// @inheritdoc IAllianceRegistry
    function certifyDoctor(
        address doctor,
        bytes32 credentialHash,
        bytes32 department,
        uint256 expiresAt
    ) external override {
        address hospital = _checkDoctorsOperator(doctor);
        if (_members[doctor].status != STATUS_APPROVED) revert AllianceRegistryDoctorNotApproved(doctor);
        // solhint-disable-next-line not-rely-on-time
        if (expiresAt <= block.timestamp) revert AllianceRegistryInvalidExpiry(expiresAt, block.timestamp);
        _certifications[doctor] = Certification(hospital, credentialHash, department, block.timestamp, expiresAt, false);
        emit DoctorCertified(doctor, hospital, credentialHash, department, expiresAt);
    }

    /// @inheritdoc IAllianceRegistry
    function revokeCertification(address doctor, bytes32 reasonHash) external override {
        address hospital = _checkDoctorsOperator(doctor);
        Certification storage c = _certifications[doctor];
        if (c.issuedAt == 0 || c.revoked) revert AllianceRegistryNotCertified(doctor);
        c.revoked = true;
        emit CertificationRevoked(doctor, hospital, reasonHash);
    }

    /// @inheritdoc IAllianceRegistry
    function hospitalLevel(address hospital) external view override returns (uint8 level) {
        return _hospitalLevel[hospital];
    }

    /// @inheritdoc IAllianceRegistry
    function certificationOf(address doctor)
        external
        view
        override
        returns (
            address certifier,
            bytes32 credentialHash,
            bytes32 department,
            uint256 issuedAt,
            uint256 expiresAt,
            bool revoked
        )
    {
        Certification storage c = _certifications[doctor];
        return (c.certifier, c.credentialHash, c.department, c.issuedAt, c.expiresAt, c.revoked);
    }

    /// @inheritdoc IAllianceRegistry
    function isCertified(address doctor) external view override returns (bool certified) {
        Certification storage c = _certifications[doctor];
        // solhint-disable-next-line not-rely-on-time
        return c.issuedAt != 0 && !c.revoked && block.timestamp < c.expiresAt && _isActive(doctor, ROLE_DOCTOR);
    }

    /// @inheritdoc IAllianceRegistry
    function hospitalOfOperator(address operator) external view override returns (address hospital) {
        hospital = _operatorHospital[operator];
        if (hospital == address(0)) return address(0);
        Member storage h = _members[hospital];
        if (h.role != ROLE_HOSPITAL || h.status != STATUS_APPROVED || h.operator != operator) return address(0);
    }

    /// @inheritdoc IAllianceRegistry
    function memberOf(address member)
        external
        view
        override
        returns (
            uint8 role,
            uint8 status,
            address hospital,
            bytes32 profileHash,
            address operator
        )
    {
        Member storage m = _members[member];
        return (m.role, m.status, m.hospital, m.profileHash, m.operator);
    }

    /// @inheritdoc IAllianceRegistry
    function isActive(address member, uint8 role) external view override returns (bool active) {
        return _isActive(member, role);
    }

    function _isActive(address member, uint8 role) private view returns (bool active) {
        Member storage m = _members[member];
        if (role == 0 || m.role != role || m.status != STATUS_APPROVED) return false;
        if (role == ROLE_DOCTOR) {
            Member storage h = _members[m.hospital];
            return h.role == ROLE_HOSPITAL && h.status == STATUS_APPROVED;
        }
        return true;
    }

    /// @inheritdoc IAllianceRegistry
    function operatorOf(address hospital) external view override returns (address operator) {
        Member storage h = _members[hospital];
        return h.role == ROLE_HOSPITAL ? h.operator : address(0);
    }

    /// @inheritdoc IAllianceRegistry
    function isAdmin(address account) external view override returns (bool admin) {
        return _admins[account];
    }

    /// @inheritdoc IAllianceRegistry
    function isRelayer(address account) external view override returns (bool relayer) {
        return _isRelayer(account);
    }

    /// @inheritdoc IAllianceRegistry
    function owner() external view override returns (address account) {
        return _owner;
    }

    /// @dev Checks that `doctor` is a doctor whose hospital is approved and operated by the sender;
    ///      returns that hospital.
    function _checkDoctorsOperator(address doctor) private view returns (address hospital) {
        Member storage d = _members[doctor];
        if (d.role != ROLE_DOCTOR) revert AllianceRegistryNotDoctor(doctor);
        hospital = d.hospital;
        Member storage h = _members[hospital];
        if (h.role != ROLE_HOSPITAL || h.status != STATUS_APPROVED) {
            revert AllianceRegistryHospitalNotApproved(hospital);
        }
        if (msg.sender != h.operator) revert AllianceRegistryNotHospitalOperator(msg.sender, hospital);
    }

    function _isRelayer(address account) private view returns (bool) {
        if (account == _owner) return true;
        address hospital = _operatorHospital[account];
        if (hospital == address(0)) return false;
        Member storage h = _members[hospital];
        return h.role == ROLE_HOSPITAL && h.status == STATUS_APPROVED && h.operator == account;
    }

    function _addAdmin(address admin) private {
        if (admin == address(0)) revert AllianceRegistryZeroAddress();
        if (_admins[admin]) revert AllianceRegistryAdminExists(admin);
        _admins[admin] = true;
        emit AdminAdded(admin);
    }

    /// @dev Records an application by a member in status none or rejected.
    function _apply(
        address member,
        uint8 role,
        address hospital,
        bytes32 profileHash,
        address operator
    ) private {
        Member storage m = _members[member];
        uint8 status = m.status;
        if (status != STATUS_NONE && status != STATUS_REJECTED) revert AllianceRegistryCannotApply(member, status);
        m.role = role;
        m.status = STATUS_PENDING;
        m.hospital = hospital;
        m.profileHash = profileHash;
        m.operator = operator;
        emit MemberApplied(member, role, hospital, profileHash, operator);
    }

    function _applicationHash(
        address applicant,
        uint8 role,
        address hospital,
        bytes32 profileHash,
        uint256 nonce,
        uint256 deadline
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(APPLICATION_TYPEHASH, applicant, role, hospital, profileHash, nonce, deadline));
    }
}
