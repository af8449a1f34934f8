// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {IConsentManager} from "./interfaces/IConsentManager.sol";
import {IConsentAllianceView, IConsentEmrView, IConsentDelegationView} from "./interfaces/IConsentDeps.sol";
import {TypedSignatures} from "./base/TypedSignatures.sol";

/// @title ConsentManager
/// @notice Grants, access requests with their outcome, the blacklist and complaints (see IConsentManager).
contract ConsentManager is IConsentManager, TypedSignatures {
    uint8 internal constant KIND_RECORD = 1;
    uint8 internal constant KIND_CATEGORY = 2;
    uint8 internal constant LEVEL_VIEW = 1;
    uint8 internal constant LEVEL_RESEARCH = 2;
    uint8 internal constant SCOPE_GRANT = 1;
    uint8 internal constant SCOPE_COMPLAIN = 4;

    uint8 internal constant REASON_RECORD_GRANT = 1;
    uint8 internal constant REASON_CATEGORY_GRANT = 2;
    uint8 internal constant REASON_NO_GRANT = 10;
    uint8 internal constant REASON_EXPIRED = 11;
    uint8 internal constant REASON_BLACKLISTED = 12;
    uint8 internal constant REASON_DELETED = 13;

    uint256 internal constant MAX_DENIED_LIMIT = 1000;

    bytes32 internal constant GRANT_TYPEHASH =
        keccak256(
            "Grant(address patient,bytes32 scope,uint8 scopeKind,address grantee,uint8 level,uint256 expiresAt,uint256 nonce,uint256 deadline)"
        );
    bytes32 internal constant REVOCATION_TYPEHASH =
        keccak256("Revocation(address patient,bytes32 scope,address grantee,uint256 nonce,uint256 deadline)");
    bytes32 internal constant BLACKLIST_LIFT_TYPEHASH =
        keccak256("BlacklistLift(address requester,uint256 nonce,uint256 deadline)");
    bytes32 internal constant COMPLAINT_TYPEHASH =
        keccak256("Complaint(address patient,bytes32 subject,bytes32 evidenceHash,uint256 nonce,uint256 deadline)");

    struct GrantData {
        uint8 level;
        uint8 kind;
        bool revoked;
        uint256 expiresAt;
    }

    struct ComplaintData {
        address patient;
        bytes32 subject;
        bytes32 evidenceHash;
        address signer;
        uint256 filedAt;
    }

    IConsentAllianceView private immutable _alliance;
    IConsentEmrView private immutable _emr;
    IConsentDelegationView private immutable _delegation;
    address private immutable _owner;

    /// @dev patient => scope => grantee => grant.
    mapping(address => mapping(bytes32 => mapping(address => GrantData))) private _grants;
    /// @dev patient => scope => grantees ever granted (each once).
    mapping(address => mapping(bytes32 => address[])) private _grantees;
    mapping(bytes32 => bytes32) private _categories;

    uint256 private _maxDenied = 5;
    uint256 private _windowMs = 24 hours * 1000;
    /// @dev requester => block times (ms) of its denials; only those from index _liftIndex on count.
    mapping(address => uint256[]) private _denials;
    mapping(address => uint256) private _liftIndex;
    mapping(address => bool) private _blacklisted;

    mapping(uint256 => ComplaintData) private _complaints;
    uint256 private _complaintCount;

    /// @param alliance The AllianceRegistry (relayers, operators, admins).
    /// @param emr The EmrRegistry (a record's patient, hospital, deletion).
    /// @param delegation The PatientDelegation (delegates' scopes).
    /// @param chainId The chain id used in the EIP-712 domain.
    constructor(
        address alliance,
        address emr,
        address delegation,
        uint256 chainId
    ) TypedSignatures("ConsentManager", chainId) {
        if (alliance == address(0) || emr == address(0) || delegation == address(0)) {
            revert ConsentManagerZeroAddress();
        }
        _alliance = IConsentAllianceView(alliance);
        _emr = IConsentEmrView(emr);
        _delegation = IConsentDelegationView(delegation);
        _owner = msg.sender;
    }

    modifier onlyRelayer() {
        if (!_alliance.isRelayer(msg.sender)) revert ConsentManagerNotRelayer(msg.sender);
        _;
    }

    /// @inheritdoc IConsentManager
    function classifyRecord(bytes32 recordId, bytes32 category) external override {
        address hospital = _senderHospital();
        if (_emr.patientOf(recordId) == address(0)) revert ConsentManagerRecordNotFound(recordId);
        if (_emr.hospitalOf(recordId) != hospital) revert ConsentManagerNotRecordHospital(recordId, hospital);
        if (category == bytes32(0)) revert ConsentManagerInvalidCategory(category);
        bytes32 current = _categories[recordId];
        if (current != bytes32(0)) revert ConsentManagerAlreadyClassified(recordId, current);
        _categories[recordId] = category;
        emit RecordClassified(recordId, category, hospital);
    }

    /// @inheritdoc IConsentManager
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
    ) external override onlyRelayer {
        _checkGrant(patient, scope, scopeKind, grantee, level, expiresAt);
        _authorize(signer, patient, SCOPE_GRANT);
        _useSignature(
            signer,
            nonce,
            deadline,
            _grantHash(patient, scope, scopeKind, grantee, level, expiresAt, nonce, deadline),
            sig
        );
        GrantData storage g = _grants[patient][scope][grantee];
        if (g.level == 0) _grantees[patient][scope].push(grantee);
        g.level = level;
        g.kind = scopeKind;
        g.revoked = false;
        g.expiresAt = expiresAt;
        emit AccessGranted(_grantId(patient, scope, grantee), patient, grantee, scope, scopeKind, level, expiresAt, signer);
    }

    /// @inheritdoc IConsentManager
    function revoke(
        address patient,
        bytes32 scope,
        address grantee,
        uint256 nonce,
        uint256 deadline,
        address signer,
        bytes calldata sig
    ) external override onlyRelayer {
        GrantData storage g = _grants[patient][scope][grantee];
        if (g.level == 0) revert ConsentManagerGrantNotFound(patient, scope, grantee);
        if (g.revoked) revert ConsentManagerGrantAlreadyRevoked(patient, scope, grantee);
        _authorize(signer, patient, SCOPE_GRANT);
        _useSignature(
            signer,
            nonce,
            deadline,
            keccak256(abi.encode(REVOCATION_TYPEHASH, patient, scope, grantee, nonce, deadline)),
            sig
        );
        g.revoked = true;
        emit AccessRevoked(_grantId(patient, scope, grantee), patient, grantee, scope, signer);
    }

    /// @inheritdoc IConsentManager
    function requestAccess(bytes32 recordId, bytes32 purposeHash) external override {
        address hospital = _senderHospital();
        _request(recordId, hospital, hospital, purposeHash);
    }

    /// @inheritdoc IConsentManager
    function requestAccessFor(
        bytes32 recordId,
        address requester,
        bytes32 purposeHash
    ) external override {
        _requireOwner();
        if (requester == address(0)) revert ConsentManagerZeroAddress();
        _request(recordId, requester, requester, purposeHash);
    }

    /// @inheritdoc IConsentManager
    function requestAccessUnderPolicy(
        bytes32 recordId,
        address requester,
        address policyGrantee,
        bytes32 purposeHash
    ) external override {
        _requireOwner();
        if (requester == address(0) || policyGrantee == address(0)) revert ConsentManagerZeroAddress();
        _request(recordId, requester, policyGrantee, purposeHash);
    }

    /// @inheritdoc IConsentManager
    function liftBlacklist(
        address requester,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override onlyRelayer {
        address admin = _recoverSigner(
            deadline,
            keccak256(abi.encode(BLACKLIST_LIFT_TYPEHASH, requester, nonce, deadline)),
            adminSig
        );
        if (!_alliance.isAdmin(admin)) revert ConsentManagerNotAdmin(admin);
        if (!_blacklisted[requester]) revert ConsentManagerNotBlacklisted(requester);
        _useNonce(admin, nonce);
        _blacklisted[requester] = false;
        _liftIndex[requester] = _denials[requester].length;
        emit BlacklistLifted(requester, admin);
    }

    /// @inheritdoc IConsentManager
    function fileComplaint(
        address patient,
        bytes32 subject,
        bytes32 evidenceHash,
        uint256 nonce,
        uint256 deadline,
        address signer,
        bytes calldata sig
    ) external override onlyRelayer {
        if (patient == address(0)) revert ConsentManagerZeroAddress();
        if (subject == bytes32(0) || evidenceHash == bytes32(0)) {
            revert ConsentManagerInvalidComplaint(subject, evidenceHash);
        }
        _authorize(signer, patient, SCOPE_COMPLAIN);
        _useSignature(
            signer,
            nonce,
            deadline,
            keccak256(abi.encode(COMPLAINT_TYPEHASH, patient, subject, evidenceHash, nonce, deadline)),
            sig
        );
        uint256 id = ++_complaintCount;
        // solhint-disable-next-line not-rely-on-time
        _complaints[id] = ComplaintData(patient, subject, evidenceHash, signer, block.timestamp);
        emit ComplaintFiled(id, patient, subject, evidenceHash, signer);
    }

    /// @inheritdoc IConsentManager
    function setBlacklistPolicy(uint256 maxDenied, uint256 windowMs) external override {
        _requireOwner();
        if (maxDenied == 0 || maxDenied > MAX_DENIED_LIMIT || windowMs == 0) {
            revert ConsentManagerInvalidPolicy(maxDenied, windowMs);
        }
        _maxDenied = maxDenied;
        _windowMs = windowMs;
        emit BlacklistPolicySet(maxDenied, windowMs);
    }

    /// @inheritdoc IConsentManager
    function accessLevel(bytes32 recordId, address grantee)
        external
        view
        override
        returns (uint8 level, uint256 expiresAt)
    {
        address patient = _emr.patientOf(recordId);
        if (patient == address(0) || _emr.isDeleted(recordId)) return (0, 0);
        (uint8 rl, uint256 re) = _activeLevel(_grants[patient][recordId][grantee], KIND_RECORD);
        (uint8 cl, uint256 ce) = _categoryLevel(patient, recordId, grantee);
        if (rl > cl || (rl == cl && re >= ce)) return (rl, re);
        return (cl, ce);
    }

    /// @inheritdoc IConsentManager
    function shareOf(bytes32 recordId) external view override returns (uint256 share) {
        address patient = _emr.patientOf(recordId);
        if (patient == address(0) || _emr.isDeleted(recordId)) return 0;
        mapping(address => GrantData) storage recordGrants = _grants[patient][recordId];
        address[] storage direct = _grantees[patient][recordId];
        for (uint256 i = 0; i < direct.length; i++) {
            address g = direct[i];
            (uint8 rl, ) = _activeLevel(recordGrants[g], KIND_RECORD);
            (uint8 cl, ) = _categoryLevel(patient, recordId, g);
            share += rl > cl ? rl : cl;
        }
        bytes32 category = _categories[recordId];
        if (category == bytes32(0)) return share;
        mapping(address => GrantData) storage categoryGrants = _grants[patient][category];
        address[] storage byCategory = _grantees[patient][category];
        for (uint256 i = 0; i < byCategory.length; i++) {
            address g = byCategory[i];
            if (recordGrants[g].level != 0) continue; // counted above
            (uint8 cl, ) = _activeLevel(categoryGrants[g], KIND_CATEGORY);
            share += cl;
        }
    }

    /// @inheritdoc IConsentManager
    function isBlacklisted(address requester) external view override returns (bool blacklisted) {
        return _blacklisted[requester];
    }

    /// @inheritdoc IConsentManager
    function categoryOf(bytes32 recordId) external view override returns (bytes32 category) {
        return _categories[recordId];
    }

    /// @inheritdoc IConsentManager
    function grantOf(
        address patient,
        bytes32 scope,
        address grantee
    )
        external
        view
        override
        returns (
            uint8 level,
            uint256 expiresAt,
            bool revoked
        )
    {
        GrantData storage g = _grants[patient][scope][grantee];
        return (g.level, g.expiresAt, g.revoked);
    }

    /// @inheritdoc IConsentManager
    function complaintOf(uint256 complaintId)
        external
        view
        override
        returns (
            address patient,
            bytes32 subject,
            bytes32 evidenceHash,
            address signer,
            uint256 filedAt
        )
    {
        ComplaintData storage c = _complaints[complaintId];
        return (c.patient, c.subject, c.evidenceHash, c.signer, c.filedAt);
    }

    /// @inheritdoc IConsentManager
    function complaintCount() external view override returns (uint256 count) {
        return _complaintCount;
    }

    /// @inheritdoc IConsentManager
    function blacklistPolicy() external view override returns (uint256 maxDenied, uint256 windowMs) {
        return (_maxDenied, _windowMs);
    }

    /// @inheritdoc IConsentManager
    function deniedCount(address requester) external view override returns (uint256 denied) {
        return _denials[requester].length - _liftIndex[requester];
    }

    /// @inheritdoc IConsentManager
    function owner() external view override returns (address account) {
        return _owner;
    }

    // ---- internals -------------------------------------------------------------------------------

    /// @dev Decides a request by `requester` against the grants held by `holder` (the requester itself,
    ///      or the policy account it reads under), emits the outcome naming the requester and counts a
    ///      denial toward the requester's blacklist: the person asking answers for it, never the policy.
    function _request(
        bytes32 recordId,
        address requester,
        address holder,
        bytes32 purposeHash
    ) private {
        address patient = _emr.patientOf(recordId);
        if (patient == address(0)) revert ConsentManagerRecordNotFound(recordId);
        if (_blacklisted[requester]) {
            emit AccessRequested(recordId, requester, patient, false, REASON_BLACKLISTED, 0, purposeHash);
            return;
        }
        (uint8 reason, uint8 level) = _decide(recordId, patient, holder);
        bool granted = level != 0;
        emit AccessRequested(recordId, requester, patient, granted, reason, level, purposeHash);
        if (!granted) _countDenial(requester);
    }

    /// @dev Called, not inlined as a modifier would be: the check exists once in the bytecode.
    function _requireOwner() private view {
        if (msg.sender != _owner) revert ConsentManagerNotOwner(msg.sender);
    }

    /// @dev The approved hospital the sender operates; reverts if none.
    function _senderHospital() private view returns (address hospital) {
        hospital = _alliance.hospitalOfOperator(msg.sender);
        if (hospital == address(0)) revert ConsentManagerNotHospitalOperator(msg.sender);
    }

    function _checkGrant(
        address patient,
        bytes32 scope,
        uint8 scopeKind,
        address grantee,
        uint8 level,
        uint256 expiresAt
    ) private view {
        if (patient == address(0) || grantee == address(0)) revert ConsentManagerZeroAddress();
        if (scopeKind != KIND_RECORD && scopeKind != KIND_CATEGORY) revert ConsentManagerInvalidScopeKind(scopeKind);
        if (scope == bytes32(0)) revert ConsentManagerInvalidScope(scope);
        if (level != LEVEL_VIEW && level != LEVEL_RESEARCH) revert ConsentManagerInvalidLevel(level);
        // solhint-disable-next-line not-rely-on-time
        if (expiresAt <= block.timestamp) revert ConsentManagerInvalidExpiry(expiresAt, block.timestamp);
        if (scopeKind == KIND_RECORD && _emr.patientOf(scope) != patient) {
            revert ConsentManagerNotRecordPatient(scope, patient);
        }
    }

    /// @dev Reverts unless `signer` is `patient` or their delegate with `scope` now.
    function _authorize(
        address signer,
        address patient,
        uint8 scope
    ) private view {
        if (signer != patient && !_delegation.isDelegate(patient, signer, scope)) {
            revert ConsentManagerNotAuthorized(signer, patient, scope);
        }
    }

    function _grantHash(
        address patient,
        bytes32 scope,
        uint8 scopeKind,
        address grantee,
        uint8 level,
        uint256 expiresAt,
        uint256 nonce,
        uint256 deadline
    ) private pure returns (bytes32) {
        return
            keccak256(
                abi.encode(GRANT_TYPEHASH, patient, scope, scopeKind, grantee, level, expiresAt, nonce, deadline)
            );
    }

    function _grantId(
        address patient,
        bytes32 scope,
        address grantee
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(patient, scope, grantee));
    }

    /// @dev (level, expiresAt) of `g` if it is an active grant of `kind`, else (0, 0).
    function _activeLevel(GrantData storage g, uint8 kind) private view returns (uint8, uint256) {
        // solhint-disable-next-line not-rely-on-time
        if (g.level == 0 || g.kind != kind || g.revoked || block.timestamp >= g.expiresAt) return (0, 0);
        return (g.level, g.expiresAt);
    }

    /// @dev The active category grant covering the record for `grantee`, if any.
    function _categoryLevel(
        address patient,
        bytes32 recordId,
        address grantee
    ) private view returns (uint8, uint256) {
        bytes32 category = _categories[recordId];
        if (category == bytes32(0)) return (0, 0);
        return _activeLevel(_grants[patient][category][grantee], KIND_CATEGORY);
    }

    /// @dev Whether `g` is an unrevoked grant of `kind` that has expired.
    function _expired(GrantData storage g, uint8 kind) private view returns (bool) {
        // solhint-disable-next-line not-rely-on-time
        return g.level != 0 && g.kind == kind && !g.revoked && block.timestamp >= g.expiresAt;
    }

    /// @dev The outcome of a (non-blacklisted) request under `grantee`'s grants: (reason, level), level 0
    ///      when denied.
    function _decide(
        bytes32 recordId,
        address patient,
        address grantee
    ) private view returns (uint8 reason, uint8 level) {
        if (_emr.isDeleted(recordId)) return (REASON_DELETED, 0);
        GrantData storage rg = _grants[patient][recordId][grantee];
        (uint8 rl, ) = _activeLevel(rg, KIND_RECORD);
        (uint8 cl, ) = _categoryLevel(patient, recordId, grantee);
        if (rl != 0 && rl >= cl) return (REASON_RECORD_GRANT, rl);
        if (cl != 0) return (REASON_CATEGORY_GRANT, cl);
        bytes32 category = _categories[recordId];
        if (
            _expired(rg, KIND_RECORD) ||
            (category != bytes32(0) && _expired(_grants[patient][category][grantee], KIND_CATEGORY))
        ) return (REASON_EXPIRED, 0);
        return (REASON_NO_GRANT, 0);
    }

    /// @dev Records a denial; blacklists once `_maxDenied` denials fall within `_windowMs`.
    function _countDenial(address requester) private {
        uint256[] storage times = _denials[requester];
        // solhint-disable-next-line not-rely-on-time
        uint256 t = block.timestamp;
        times.push(t);
        uint256 max = _maxDenied;
        uint256 len = times.length;
        if (len - _liftIndex[requester] < max) return;
        uint256 windowStart = times[len - max];
        if (t - windowStart < _windowMs) {
            _blacklisted[requester] = true;
            emit Blacklisted(requester, max, windowStart);
        }
    }
}
