// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {IEmrRegistry} from "./interfaces/IEmrRegistry.sol";
import {IAllianceRegistry} from "./interfaces/IAllianceRegistry.sol";
import {TypedSignatures} from "./base/TypedSignatures.sol";

/// @title EmrRegistry
/// @notice Dual-signed electronic medical records (see IEmrRegistry).
contract EmrRegistry is IEmrRegistry, TypedSignatures {
    uint8 internal constant ROLE_PATIENT = 1;
    uint8 internal constant ROLE_DOCTOR = 2;

    bytes32 internal constant EMR_AUTHORIZATION_TYPEHASH =
        keccak256(
            "EmrAuthorization(bytes32 recordId,address patient,address doctor,address hospital,bytes32 contentHash,string storagePointer,uint256 createdAt,uint256 nonce,uint256 deadline)"
        );

    struct Record {
        address patient;
        address doctor;
        address hospital;
        bytes32 contentHash;
        string storagePointer;
        uint256 createdAt;
        uint256 version;
        uint256 writtenAt;
    }

    IAllianceRegistry private immutable _alliance;
    mapping(bytes32 => Record) private _records;

    /// @param alliance The AllianceRegistry deciding membership.
    /// @param chainId The chain id used in the EIP-712 domain.
    constructor(address alliance, uint256 chainId) TypedSignatures("EmrRegistry", chainId) {
        if (alliance == address(0)) revert EmrRegistryZeroAddress();
        _alliance = IAllianceRegistry(alliance);
    }

    /// @inheritdoc IEmrRegistry
    function writeRecord(
        bytes32 recordId,
        address patient,
        address doctor,
        bytes32 contentHash,
        string memory storagePointer,
        uint256 createdAt,
        uint256 patientNonce,
        uint256 doctorNonce,
        uint256 deadline,
        bytes memory patientSig,
        bytes memory doctorSig
    ) external override {
        address hospital = _checkParties(recordId, patient, doctor, createdAt);
        // The authorization's struct encoding up to (and excluding) the nonce is common to both signers.
        bytes memory head = _authorizationHead(recordId, patient, doctor, hospital, contentHash, storagePointer);
        _useSignature(patient, patientNonce, deadline, _authorizationHash(head, createdAt, patientNonce, deadline), patientSig);
        _useSignature(doctor, doctorNonce, deadline, _authorizationHash(head, createdAt, doctorNonce, deadline), doctorSig);

        Record storage r = _records[recordId];
        r.patient = patient;
        r.doctor = doctor;
        r.hospital = hospital;
        r.contentHash = contentHash;
        r.storagePointer = storagePointer;
        r.createdAt = createdAt;
        r.version = 1;
        r.writtenAt = block.timestamp;
        emit RecordWritten(recordId, patient, doctor, hospital, contentHash, storagePointer, createdAt, 1);
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
        return (r.patient, r.doctor, r.hospital, r.contentHash, r.storagePointer, r.createdAt, r.version, r.writtenAt);
    }

    /// @inheritdoc IEmrRegistry
    function exists(bytes32 recordId) external view override returns (bool written) {
        return _records[recordId].version != 0;
    }

    /// @inheritdoc IEmrRegistry
    function allianceRegistry() external view override returns (address registry) {
        return address(_alliance);
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
        if (!_alliance.isActive(doctor, ROLE_DOCTOR)) revert EmrRegistryDoctorNotActive(doctor);
        (, , hospital, , ) = _alliance.memberOf(doctor);
        if (msg.sender != _alliance.operatorOf(hospital)) revert EmrRegistryNotHospitalOperator(msg.sender, hospital);
        if (!_alliance.isActive(patient, ROLE_PATIENT)) revert EmrRegistryPatientNotActive(patient);
    }

    /// @dev abi.encode(typehash, recordId, patient, doctor, hospital, contentHash, keccak256(storagePointer)).
    function _authorizationHead(
        bytes32 recordId,
        address patient,
        address doctor,
        address hospital,
        bytes32 contentHash,
        string memory storagePointer
    ) private pure returns (bytes memory) {
        return
            abi.encode(
                EMR_AUTHORIZATION_TYPEHASH,
                recordId,
                patient,
                doctor,
                hospital,
                contentHash,
                keccak256(bytes(storagePointer))
            );
    }

    /// @dev The EIP-712 struct hash: every field is one 32-byte word, so packing the head with the
    ///      remaining words equals abi.encode of the whole struct.
    function _authorizationHash(
        bytes memory head,
        uint256 createdAt,
        uint256 nonce,
        uint256 deadline
    ) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(head, createdAt, nonce, deadline));
    }
}
