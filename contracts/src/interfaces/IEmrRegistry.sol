// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "./ITypedSignatures.sol";

/// @title IEmrRegistry
/// @notice Electronic medical records written by a hospital's operator with the dual authorization of
///         the patient and the attending doctor (EIP-712 signatures). Content stays off chain; the chain
///         keeps its hash and storage pointer.
/// @dev EIP-712 (name "EmrRegistry", version "1"):
///      EmrAuthorization(bytes32 recordId,address patient,address doctor,address hospital,bytes32 contentHash,string storagePointer,uint256 createdAt,uint256 nonce,uint256 deadline)
///      recordId = keccak256(abi.encodePacked(createdAt, patient)); createdAt and deadline are ms.
interface IEmrRegistry is ITypedSignatures {
    /// @notice `recordId` is not keccak256(abi.encodePacked(createdAt, patient)) (= `expected`).
    error EmrRegistryInvalidRecordId(bytes32 recordId, bytes32 expected);
    /// @notice A record with this id was already written.
    error EmrRegistryRecordExists(bytes32 recordId);
    /// @notice `doctor` is not an active doctor of an approved hospital.
    error EmrRegistryDoctorNotActive(address doctor);
    /// @notice `patient` is not an active patient.
    error EmrRegistryPatientNotActive(address patient);
    /// @notice The sender is not the operator of the doctor's hospital `hospital`.
    error EmrRegistryNotHospitalOperator(address sender, address hospital);
    /// @notice The alliance registry address given at deployment is zero.
    error EmrRegistryZeroAddress();

    /// @notice A record was written.
    /// @param recordId keccak256(abi.encodePacked(createdAt, patient)).
    /// @param patient The patient.
    /// @param doctor The attending doctor.
    /// @param hospital The doctor's hospital, whose operator sent the transaction.
    /// @param contentHash Hash of the (encrypted) content.
    /// @param storagePointer Where the encrypted content is stored.
    /// @param createdAt Creation time in ms.
    /// @param version The record's version (1 for a new record).
    event RecordWritten(
        bytes32 indexed recordId,
        address indexed patient,
        address indexed doctor,
        address hospital,
        bytes32 contentHash,
        string storagePointer,
        uint256 createdAt,
        uint256 version
    );

    /// @notice Writes a new record; sent by the operator of the doctor's hospital, authorized by both the
    ///         patient's and the doctor's EIP-712 signatures over EmrAuthorization (hospital = the doctor's
    ///         hospital, nonce = the signer's own nonce, the shared deadline).
    /// @param recordId keccak256(abi.encodePacked(createdAt, patient)).
    /// @param patient An active patient.
    /// @param doctor An active doctor (of an approved hospital).
    /// @param contentHash Hash of the content.
    /// @param storagePointer Where the encrypted content is stored.
    /// @param createdAt Creation time in ms.
    /// @param patientNonce The patient's unordered nonce.
    /// @param doctorNonce The doctor's unordered nonce.
    /// @param deadline Deadline of both signatures in ms.
    /// @param patientSig The patient's 65-byte signature.
    /// @param doctorSig The doctor's 65-byte signature.
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
    ) external;

    /// @notice A record's stored values (all zero for an unknown id; see `exists`).
    /// @param recordId The record id.
    /// @return patient The patient.
    /// @return doctor The attending doctor.
    /// @return hospital The doctor's hospital at writing time.
    /// @return contentHash Hash of the content.
    /// @return storagePointer Where the encrypted content is stored.
    /// @return createdAt Creation time in ms.
    /// @return version The record's version.
    /// @return writtenAt Block time (ms) of the write.
    function recordOf(bytes32 recordId)
        external
        view
        returns (
            address patient,
            address doctor,
            address hospital,
            bytes32 contentHash,
            string memory storagePointer,
            uint256 createdAt,
            uint256 version,
            uint256 writtenAt
        );

    /// @notice Whether a record with this id was written.
    /// @param recordId The record id.
    /// @return written True once written.
    function exists(bytes32 recordId) external view returns (bool written);

    /// @notice The alliance registry that decides who is an active patient, doctor and operator.
    /// @return registry The AllianceRegistry address.
    function allianceRegistry() external view returns (address registry);
}
