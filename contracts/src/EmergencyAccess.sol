// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {IEmergencyAccess} from "./interfaces/IEmergencyAccess.sol";
import {IConsentAllianceView, IConsentEmrView} from "./interfaces/IConsentDeps.sol";
import {TypedSignatures} from "./base/TypedSignatures.sol";

/// @title EmergencyAccess
/// @notice Break-glass access by certified doctors (see IEmergencyAccess).
contract EmergencyAccess is IEmergencyAccess, TypedSignatures {
    uint8 internal constant ROLE_DOCTOR = 2;
    uint8 internal constant REASON_OTHER = 3;
    uint8 internal constant OUTCOME_JUSTIFIED = 1;
    uint8 internal constant OUTCOME_ABUSIVE = 2;
    uint256 internal constant MAX_PER_WINDOW_LIMIT = 1000;

    bytes32 internal constant EMERGENCY_ACCESS_TYPEHASH =
        keccak256(
            "EmergencyAccess(bytes32 recordId,uint8 reasonCode,bytes32 justificationHash,uint256 nonce,uint256 deadline)"
        );
    bytes32 internal constant EMERGENCY_REVIEW_TYPEHASH =
        keccak256("EmergencyReview(uint256 accessId,uint8 outcome,uint256 nonce,uint256 deadline)");

    struct Access {
        bytes32 recordId;
        address doctor;
        uint8 reasonCode;
        uint8 outcome;
        address patient;
        address hospital;
        address reviewer;
        bytes32 justificationHash;
        uint256 accessedAt;
    }

    IConsentAllianceView private immutable _alliance;
    IConsentEmrView private immutable _emr;
    address private immutable _owner;

    uint256 private _maxPerWindow = 3;
    uint256 private _windowMs = 24 hours * 1000;
    mapping(uint256 => Access) private _accesses;
    uint256 private _accessCount;
    /// @dev doctor => block times (ms) of their break-glass accesses.
    mapping(address => uint256[]) private _times;

    /// @param alliance The AllianceRegistry (operators, certification, admins).
    /// @param emr The EmrRegistry (a record's patient, deletion).
    /// @param chainId The chain id used in the EIP-712 domain.
    constructor(
        address alliance,
        address emr,
        uint256 chainId
    ) TypedSignatures("EmergencyAccess", chainId) {
        if (alliance == address(0) || emr == address(0)) revert EmergencyAccessZeroAddress();
        _alliance = IConsentAllianceView(alliance);
        _emr = IConsentEmrView(emr);
        _owner = msg.sender;
    }

    /// @inheritdoc IEmergencyAccess
    function breakGlass(
        bytes32 recordId,
        address doctor,
        uint8 reasonCode,
        bytes32 justificationHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata doctorSig
    ) external override {
        address hospital = _checkDoctor(doctor);
        if (reasonCode == 0 || reasonCode > REASON_OTHER) revert EmergencyAccessInvalidReasonCode(reasonCode);
        if (reasonCode == REASON_OTHER && justificationHash == bytes32(0)) {
            revert EmergencyAccessJustificationRequired(reasonCode);
        }
        address patient = _emr.patientOf(recordId);
        if (patient == address(0)) revert EmergencyAccessRecordNotFound(recordId);
        if (_emr.isDeleted(recordId)) revert EmergencyAccessRecordDeleted(recordId);
        _useSignature(
            doctor,
            nonce,
            deadline,
            keccak256(abi.encode(EMERGENCY_ACCESS_TYPEHASH, recordId, reasonCode, justificationHash, nonce, deadline)),
            doctorSig
        );
        _checkRate(doctor);
        uint256 id = ++_accessCount;
        Access storage a = _accesses[id];
        a.recordId = recordId;
        a.doctor = doctor;
        a.reasonCode = reasonCode;
        a.patient = patient;
        a.hospital = hospital;
        a.justificationHash = justificationHash;
        // solhint-disable-next-line not-rely-on-time
        a.accessedAt = block.timestamp;
        emit EmergencyAccessed(recordId, doctor, patient, hospital, reasonCode, justificationHash, id);
    }

    /// @inheritdoc IEmergencyAccess
    function reviewEmergency(
        uint256 accessId,
        uint8 outcome,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override {
        if (!_alliance.isRelayer(msg.sender)) revert EmergencyAccessNotRelayer(msg.sender);
        if (outcome != OUTCOME_JUSTIFIED && outcome != OUTCOME_ABUSIVE) revert EmergencyAccessInvalidOutcome(outcome);
        Access storage a = _accesses[accessId];
        if (a.doctor == address(0)) revert EmergencyAccessNotFound(accessId);
        if (a.outcome != 0) revert EmergencyAccessAlreadyReviewed(accessId, a.outcome);
        address admin = _recoverSigner(
            deadline,
            keccak256(abi.encode(EMERGENCY_REVIEW_TYPEHASH, accessId, outcome, nonce, deadline)),
            adminSig
        );
        if (!_alliance.isAdmin(admin)) revert EmergencyAccessNotAdmin(admin);
        _useNonce(admin, nonce);
        a.outcome = outcome;
        a.reviewer = admin;
        emit EmergencyReviewed(accessId, outcome, admin);
    }

    /// @inheritdoc IEmergencyAccess
    function setRateLimit(uint256 maxPerWindow, uint256 windowMs) external override {
        if (msg.sender != _owner) revert EmergencyAccessNotOwner(msg.sender);
        if (maxPerWindow == 0 || maxPerWindow > MAX_PER_WINDOW_LIMIT || windowMs == 0) {
            revert EmergencyAccessInvalidPolicy(maxPerWindow, windowMs);
        }
        _maxPerWindow = maxPerWindow;
        _windowMs = windowMs;
        emit RateLimitSet(maxPerWindow, windowMs);
    }

    /// @inheritdoc IEmergencyAccess
    function accessOf(uint256 accessId)
        external
        view
        override
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
        )
    {
        Access storage a = _accesses[accessId];
        return (
            a.recordId,
            a.doctor,
            a.patient,
            a.hospital,
            a.reasonCode,
            a.justificationHash,
            a.accessedAt,
            a.outcome,
            a.reviewer
        );
    }

    /// @inheritdoc IEmergencyAccess
    function accessCount() external view override returns (uint256 count) {
        return _accessCount;
    }

    /// @inheritdoc IEmergencyAccess
    function recentAccesses(address doctor) external view override returns (uint256 count) {
        uint256[] storage times = _times[doctor];
        // solhint-disable-next-line not-rely-on-time
        uint256 t = block.timestamp;
        for (uint256 i = times.length; i > 0 && t - times[i - 1] < _windowMs; i--) count++;
    }

    /// @inheritdoc IEmergencyAccess
    function rateLimit() external view override returns (uint256 maxPerWindow, uint256 windowMs) {
        return (_maxPerWindow, _windowMs);
    }

    /// @inheritdoc IEmergencyAccess
    function owner() external view override returns (address account) {
        return _owner;
    }

    /// @dev Checks the doctor is active, the sender operates their hospital and the doctor is certified;
    ///      returns the hospital.
    function _checkDoctor(address doctor) private view returns (address hospital) {
        if (doctor == address(0)) revert EmergencyAccessZeroAddress();
        if (!_alliance.isActive(doctor, ROLE_DOCTOR)) revert EmergencyAccessDoctorNotActive(doctor);
        (, , hospital, , ) = _alliance.memberOf(doctor);
        if (msg.sender != _alliance.operatorOf(hospital)) {
            revert EmergencyAccessNotHospitalOperator(msg.sender, hospital);
        }
        if (!_alliance.isCertified(doctor)) revert EmergencyAccessNotCertified(doctor);
    }

    /// @dev Reverts if `doctor` already used `_maxPerWindow` accesses within `_windowMs`; else records one.
    function _checkRate(address doctor) private {
        uint256[] storage times = _times[doctor];
        // solhint-disable-next-line not-rely-on-time
        uint256 t = block.timestamp;
        uint256 max = _maxPerWindow;
        uint256 len = times.length;
        if (len >= max) {
            uint256 oldest = times[len - max];
            if (t - oldest < _windowMs) revert EmergencyAccessRateLimited(doctor, max, oldest + _windowMs);
        }
        times.push(t);
    }
}
