// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {IEmrRegistry} from "./interfaces/IEmrRegistry.sol";
import {IAllianceRegistry} from "./interfaces/IAllianceRegistry.sol";
import {TypedSignatures} from "./base/TypedSignatures.sol";
import {SignatureVerifier} from "./lib/SignatureVerifier.sol";
import {FieldMerkle} from "./lib/FieldMerkle.sol";

/// @title IDelegationCheck
/// @notice The one view of PatientDelegation the registry needs.
interface IDelegationCheck {
    /// @notice Whether `delegate` may act for `patient` within `scope` now (bit mask; 2 = co-sign).
    function isDelegate(
        address patient,
        address delegate,
        uint8 scope
    ) external view returns (bool);
}

/// @title EmrRegistry
/// @notice Dual-signed, versioned electronic medical records with patient tombstones (see IEmrRegistry).
contract EmrRegistry is IEmrRegistry, TypedSignatures {
    uint8 internal constant ROLE_PATIENT = 1;
    uint8 internal constant ROLE_DOCTOR = 2;
    /// @dev PatientDelegation scope bit for co-signing records.
    uint8 internal constant SCOPE_COSIGN = 2;

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant EMR_AUTHORIZATION_TYPEHASH =
        keccak256(
            "EmrAuthorization(bytes32 recordId,address patient,address doctor,address hospital,bytes32 contentHash,bytes32 fieldsRoot,string storagePointer,uint256 createdAt,uint256 nonce,uint256 deadline)"
        );
    bytes32 internal constant EMR_UPDATE_TYPEHASH =
        keccak256(
            "EmrUpdate(bytes32 recordId,uint256 version,address doctor,bytes32 contentHash,bytes32 fieldsRoot,string storagePointer,bytes32 reasonHash,uint256 nonce,uint256 deadline)"
        );
    bytes32 internal constant EMR_DELETION_TYPEHASH =
        keccak256("EmrDeletion(bytes32 recordId,bytes32 reasonHash,uint256 nonce,uint256 deadline)");

    struct Record {
        address patient;
        bool deleted;
        address hospital;
        uint256 createdAt;
        uint256 version;
    }

    struct Version {
        address doctor;
        bytes32 contentHash;
        bytes32 fieldsRoot;
        string storagePointer;
        bytes32 reasonHash;
        uint256 writtenAt;
    }

    /// @dev writeRecord's arguments, grouped to keep the stack shallow.
    struct Write {
        bytes32 recordId;
        address patient;
        address doctor;
        bytes32 contentHash;
        bytes32 fieldsRoot;
        string storagePointer;
        uint256 createdAt;
    }

    /// @dev updateRecord's arguments, grouped to keep the stack shallow.
    struct Update {
        bytes32 recordId;
        address doctor;
        bytes32 contentHash;
        bytes32 fieldsRoot;
        string storagePointer;
        bytes32 reasonHash;
    }

    IAllianceRegistry private immutable _alliance;
    address private immutable _owner;
    /// @dev Same value as TypedSignatures' (private there); used to check patient-or-delegate signatures.
    bytes32 private immutable _domain;
    IDelegationCheck private _delegation;
    mapping(bytes32 => Record) private _records;
    mapping(bytes32 => mapping(uint256 => Version)) private _versions;

    /// @param alliance The AllianceRegistry deciding membership.
    /// @param chainId The chain id used in the EIP-712 domain.
    constructor(address alliance, uint256 chainId) TypedSignatures("EmrRegistry", chainId) {
        if (alliance == address(0)) revert EmrRegistryZeroAddress();
        _alliance = IAllianceRegistry(alliance);
        _owner = msg.sender;
        _domain = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256(bytes("EmrRegistry")), keccak256(bytes("1")), chainId, address(this))
        );
    }

    /// @inheritdoc IEmrRegistry
    function writeRecord(
        bytes32 recordId,
        address patient,
        address doctor,
        bytes32 contentHash,
        bytes32 fieldsRoot,
        string memory storagePointer,
        uint256 createdAt,
        uint256 patientNonce,
        uint256 doctorNonce,
        uint256 deadline,
        bytes memory patientSig,
        bytes memory doctorSig
    ) external override {
        _write(
            Write(recordId, patient, doctor, contentHash, fieldsRoot, storagePointer, createdAt),
            patientNonce,
            doctorNonce,
            deadline,
            patientSig,
            doctorSig
        );
    }

    /// @inheritdoc IEmrRegistry
    function updateRecord(
        bytes32 recordId,
        address doctor,
        bytes32 contentHash,
        bytes32 fieldsRoot,
        string memory storagePointer,
        bytes32 reasonHash,
        uint256 patientNonce,
        uint256 doctorNonce,
        uint256 deadline,
        bytes memory patientSig,
        bytes memory doctorSig
    ) external override {
        _update(
            Update(recordId, doctor, contentHash, fieldsRoot, storagePointer, reasonHash),
            patientNonce,
            doctorNonce,
            deadline,
            patientSig,
            doctorSig
        );
    }

    /// @inheritdoc IEmrRegistry
    function deleteRecord(
        bytes32 recordId,
        bytes32 reasonHash,
        uint256 nonce,
        uint256 deadline,
        bytes memory patientSig
    ) external override {
        if (!_alliance.isRelayer(msg.sender)) revert EmrRegistryNotRelayer(msg.sender);
        Record storage r = _existing(recordId);
        address patient = r.patient;
        _usePatientSignature(
            patient,
            nonce,
            deadline,
            keccak256(abi.encode(EMR_DELETION_TYPEHASH, recordId, reasonHash, nonce, deadline)),
            patientSig
        );
        if (r.deleted) revert EmrRegistryRecordDeleted(recordId);
        r.deleted = true;
        emit RecordDeleted(recordId, patient, reasonHash, r.version);
    }

    /// @inheritdoc IEmrRegistry
    function setDelegation(address delegation_) external override {
        if (msg.sender != _owner) revert EmrRegistryNotOwner(msg.sender);
        if (delegation_ == address(0)) revert EmrRegistryZeroAddress();
        if (address(_delegation) != address(0)) revert EmrRegistryDelegationAlreadySet(address(_delegation));
        _delegation = IDelegationCheck(delegation_);
        emit DelegationSet(delegation_);
    }

    /// @inheritdoc IEmrRegistry
    function recordOf(bytes32 recordId)
        external
        view
        override
        returns (
            address patient,
            address doctor,
            address hospital,
            bytes32 contentHash,
            string memory storagePointer,
            uint256 createdAt,
            uint256 version,
            uint256 writtenAt
        )
    {
        Record storage r = _records[recordId];
        version = r.version;
        Version storage v = _versions[recordId][version];
        return (
            r.patient,
            v.doctor,
            r.hospital,
            v.contentHash,
            r.deleted ? "" : v.storagePointer,
            r.createdAt,
            version,
            v.writtenAt
        );
    }

    /// @inheritdoc IEmrRegistry
    function versionOf(bytes32 recordId, uint256 version)
        external
        view
        override
        returns (
            address doctor,
            bytes32 contentHash,
            bytes32 fieldsRoot,
            string memory storagePointer,
            bytes32 reasonHash,
            uint256 writtenAt
        )
    {
        Version storage v = _versions[recordId][version];
        return (
            v.doctor,
            v.contentHash,
            v.fieldsRoot,
            _records[recordId].deleted ? "" : v.storagePointer,
            v.reasonHash,
            v.writtenAt
        );
    }

    /// @inheritdoc IEmrRegistry
    function verifyField(
        bytes32 recordId,
        uint256 version,
        bytes32 pathHash,
        bytes32 valueHash,
        bytes32[] calldata proof
    ) external view override returns (bool valid) {
        bytes32 root = _versions[recordId][version].fieldsRoot;
        // An unknown record or version has a zero root; a bundle without fields has one too and no leaf.
        return root != bytes32(0) && FieldMerkle.verify(root, pathHash, valueHash, proof);
    }

    /// @inheritdoc IEmrRegistry
    function exists(bytes32 recordId) external view override returns (bool written) {
        return _records[recordId].version != 0;
    }

    /// @inheritdoc IEmrRegistry
    function isDeleted(bytes32 recordId) external view override returns (bool deleted) {
        return _records[recordId].deleted;
    }

    /// @inheritdoc IEmrRegistry
    function patientOf(bytes32 recordId) external view override returns (address patient) {
        return _records[recordId].patient;
    }

    /// @inheritdoc IEmrRegistry
    function hospitalOf(bytes32 recordId) external view override returns (address hospital) {
        return _records[recordId].hospital;
    }

    /// @inheritdoc IEmrRegistry
    function allianceRegistry() external view override returns (address registry) {
        return address(_alliance);
    }

    /// @inheritdoc IEmrRegistry
    function delegation() external view override returns (address) {
        return address(_delegation);
    }

    /// @inheritdoc IEmrRegistry
    function owner() external view override returns (address account) {
        return _owner;
    }

    /// @dev Checks the record id, that it is new, that doctor and patient are active and that the sender
    ///      operates the doctor's hospital; returns that hospital.
    function _checkParties(
        bytes32 recordId,
        address patient,
        address doctor,
        uint256 createdAt
    ) private view returns (address hospital) {
        bytes32 expected = keccak256(abi.encodePacked(createdAt, patient));
        if (recordId != expected) revert EmrRegistryInvalidRecordId(recordId, expected);
        if (_records[recordId].version != 0) revert EmrRegistryRecordExists(recordId);
        hospital = _checkDoctor(doctor);
        if (!_alliance.isActive(patient, ROLE_PATIENT)) revert EmrRegistryPatientNotActive(patient);
    }

    /// @dev Checks that `doctor` is active and the sender operates the doctor's hospital; returns it.
    function _checkDoctor(address doctor) private view returns (address hospital) {
        if (!_alliance.isActive(doctor, ROLE_DOCTOR)) revert EmrRegistryDoctorNotActive(doctor);
        (, , hospital, , ) = _alliance.memberOf(doctor);
        if (msg.sender != _alliance.operatorOf(hospital)) revert EmrRegistryNotHospitalOperator(msg.sender, hospital);
    }

    /// @dev writeRecord: record id, duplicate, doctor, sender, patient, then both signatures over
    ///      EmrAuthorization.
    function _write(
        Write memory w,
        uint256 patientNonce,
        uint256 doctorNonce,
        uint256 deadline,
        bytes memory patientSig,
        bytes memory doctorSig
    ) private {
        address hospital = _checkParties(w.recordId, w.patient, w.doctor, w.createdAt);
        // The authorization's struct encoding up to (and excluding) the nonce is common to both signers.
        bytes memory head = abi.encode(
            EMR_AUTHORIZATION_TYPEHASH,
            w.recordId,
            w.patient,
            w.doctor,
            hospital,
            w.contentHash,
            w.fieldsRoot,
            keccak256(bytes(w.storagePointer)),
            w.createdAt
        );
        _usePatientSignature(w.patient, patientNonce, deadline, _tailHash(head, patientNonce, deadline), patientSig);
        _useSignature(w.doctor, doctorNonce, deadline, _tailHash(head, doctorNonce, deadline), doctorSig);

        Record storage r = _records[w.recordId];
        r.patient = w.patient;
        r.hospital = hospital;
        r.createdAt = w.createdAt;
        r.version = 1;
        _commitWrite(w, hospital);
    }

    /// @dev Stores version 1 and emits RecordWritten.
    function _commitWrite(Write memory w, address hospital) private {
        _storeVersion(w.recordId, 1, w.doctor, w.contentHash, w.fieldsRoot, w.storagePointer, bytes32(0));
        emit RecordWritten(
            w.recordId,
            w.patient,
            w.doctor,
            hospital,
            w.contentHash,
            w.fieldsRoot,
            w.storagePointer,
            w.createdAt,
            1
        );
    }

    /// @dev updateRecord: doctor and sender, both signatures over EmrUpdate, then the record's status.
    function _update(
        Update memory u,
        uint256 patientNonce,
        uint256 doctorNonce,
        uint256 deadline,
        bytes memory patientSig,
        bytes memory doctorSig
    ) private {
        Record storage r = _existing(u.recordId);
        address hospital = _checkDoctor(u.doctor);
        uint256 version = r.version + 1;
        {
            bytes memory head = _updateHead(u, version);
            _usePatientSignature(r.patient, patientNonce, deadline, _tailHash(head, patientNonce, deadline), patientSig);
            _useSignature(u.doctor, doctorNonce, deadline, _tailHash(head, doctorNonce, deadline), doctorSig);
        }
        if (r.deleted) revert EmrRegistryRecordDeleted(u.recordId);

        r.version = version;
        _commitUpdate(u, version, hospital);
    }

    /// @dev Stores the new version and emits RecordUpdated.
    function _commitUpdate(
        Update memory u,
        uint256 version,
        address hospital
    ) private {
        _storeVersion(u.recordId, version, u.doctor, u.contentHash, u.fieldsRoot, u.storagePointer, u.reasonHash);
        emit RecordUpdated(
            u.recordId,
            version,
            u.doctor,
            hospital,
            u.contentHash,
            u.fieldsRoot,
            u.storagePointer,
            u.reasonHash
        );
    }

    /// @dev abi.encode of EmrUpdate's fields up to (and excluding) the nonce.
    function _updateHead(Update memory u, uint256 version) private pure returns (bytes memory) {
        return
            abi.encode(
                EMR_UPDATE_TYPEHASH,
                u.recordId,
                version,
                u.doctor,
                u.contentHash,
                u.fieldsRoot,
                keccak256(bytes(u.storagePointer)),
                u.reasonHash
            );
    }

    /// @dev The record `recordId`; reverts when it was never written.
    function _existing(bytes32 recordId) private view returns (Record storage r) {
        r = _records[recordId];
        if (r.version == 0) revert EmrRegistryRecordNotFound(recordId);
    }

    function _storeVersion(
        bytes32 recordId,
        uint256 version,
        address doctor,
        bytes32 contentHash,
        bytes32 fieldsRoot,
        string memory storagePointer,
        bytes32 reasonHash
    ) private {
        Version storage v = _versions[recordId][version];
        v.doctor = doctor;
        v.contentHash = contentHash;
        v.fieldsRoot = fieldsRoot;
        v.storagePointer = storagePointer;
        v.reasonHash = reasonHash;
        // solhint-disable-next-line not-rely-on-time
        v.writtenAt = block.timestamp;
    }

    /// @dev The EIP-712 struct hash: every field is one 32-byte word, so packing the head with the
    ///      remaining words equals abi.encode of the whole struct.
    function _tailHash(
        bytes memory head,
        uint256 nonce,
        uint256 deadline
    ) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(head, nonce, deadline));
    }

    /// @dev Like `_useSignature` for the patient, but the signer may also be a delegate of the patient
    ///      with the co-sign scope; the signer's own nonce is consumed. Reverts with
    ///      SignatureInvalid(patient, recovered) otherwise.
    function _usePatientSignature(
        address patient,
        uint256 nonce,
        uint256 deadline,
        bytes32 structHash,
        bytes memory sig
    ) private {
        // solhint-disable-next-line not-rely-on-time
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
        address signer = SignatureVerifier.recover(keccak256(abi.encodePacked("\x19\x01", _domain, structHash)), sig);
        if (signer == address(0) || (signer != patient && !_isCoSigner(patient, signer))) {
            revert SignatureInvalid(patient, signer);
        }
        _useNonce(signer, nonce);
    }

    function _isCoSigner(address patient, address signer) private view returns (bool) {
        IDelegationCheck d = _delegation;
        return address(d) != address(0) && d.isDelegate(patient, signer, SCOPE_COSIGN);
    }
}
