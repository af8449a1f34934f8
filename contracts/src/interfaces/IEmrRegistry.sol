// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "./ITypedSignatures.sol";

/// @title IEmrRegistry
/// @notice Electronic medical records written by a hospital's operator with the dual authorization of
///         the patient and the attending doctor (EIP-712 signatures). Content stays off chain; the chain
///         keeps, per version, its hash, the Merkle root of its FHIR fields (sdk/src/merkle.ts) and its
///         storage pointer. Records are versioned (dual-signed updates) and can be tombstoned by the
///         patient (the fact and reason stay, the storage pointers are no longer served).
/// @dev EIP-712 (name "EmrRegistry", version "1"):
///      EmrAuthorization(bytes32 recordId,address patient,address doctor,address hospital,bytes32 contentHash,bytes32 fieldsRoot,string storagePointer,uint256 createdAt,uint256 nonce,uint256 deadline)
///      EmrUpdate(bytes32 recordId,uint256 version,address doctor,bytes32 contentHash,bytes32 fieldsRoot,string storagePointer,bytes32 reasonHash,uint256 nonce,uint256 deadline)
///      EmrDeletion(bytes32 recordId,bytes32 reasonHash,uint256 nonce,uint256 deadline)
///      recordId = keccak256(abi.encodePacked(createdAt, patient)); createdAt and deadline are ms.
///      Wherever the patient signs, a delegate of the patient with the co-sign scope (2) in the
///      PatientDelegation contract set by `setDelegation` may sign instead, with the delegate's own nonce.
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
    /// @notice A required address argument is zero.
    error EmrRegistryZeroAddress();
    /// @notice No record with this id was written.
    error EmrRegistryRecordNotFound(bytes32 recordId);
    /// @notice The record was deleted (no update, no second deletion).
    error EmrRegistryRecordDeleted(bytes32 recordId);
    /// @notice The sender is neither the alliance's owner nor an approved hospital's operator.
    error EmrRegistryNotRelayer(address sender);
    /// @notice Only the registry's owner (its deployer) may send this.
    error EmrRegistryNotOwner(address sender);
    /// @notice The delegation contract was already set (to `delegation`).
    error EmrRegistryDelegationAlreadySet(address delegation);

    /// @notice A record was written.
    /// @param recordId keccak256(abi.encodePacked(createdAt, patient)).
    /// @param patient The patient.
    /// @param doctor The attending doctor.
    /// @param hospital The doctor's hospital, whose operator sent the transaction.
    /// @param contentHash Hash of the (encrypted) content.
    /// @param fieldsRoot Merkle root of the record's FHIR fields.
    /// @param storagePointer Where the encrypted content is stored.
    /// @param createdAt Creation time in ms.
    /// @param version The record's version (1 for a new record).
    event RecordWritten(
        bytes32 indexed recordId,
        address indexed patient,
        address indexed doctor,
        address hospital,
        bytes32 contentHash,
        bytes32 fieldsRoot,
        string storagePointer,
        uint256 createdAt,
        uint256 version
    );
    /// @notice A new version of a record was written.
    /// @param recordId The record.
    /// @param version The new version (previous + 1).
    /// @param doctor The doctor who signed the update.
    /// @param hospital The doctor's hospital, whose operator sent the transaction.
    /// @param contentHash Hash of the new content.
    /// @param fieldsRoot Merkle root of the new content's FHIR fields.
    /// @param storagePointer Where the new encrypted content is stored.
    /// @param reasonHash Hash of the off-chain reason for the change.
    event RecordUpdated(
        bytes32 indexed recordId,
        uint256 indexed version,
        address indexed doctor,
        address hospital,
        bytes32 contentHash,
        bytes32 fieldsRoot,
        string storagePointer,
        bytes32 reasonHash
    );
    /// @notice A record was tombstoned.
    /// @param recordId The record.
    /// @param patient The record's patient.
    /// @param reasonHash Hash of the off-chain reason.
    /// @param version The record's latest version at deletion.
    event RecordDeleted(bytes32 indexed recordId, address indexed patient, bytes32 reasonHash, uint256 version);
    /// @notice The PatientDelegation contract consulted for co-signing delegates was set.
    /// @param delegation The PatientDelegation contract.
    event DelegationSet(address indexed delegation);

    /// @notice Writes a new record; sent by the operator of the doctor's hospital, authorized by both the
    ///         patient's (or a co-signing delegate's) and the doctor's EIP-712 signatures over
    ///         EmrAuthorization (hospital = the doctor's hospital, nonce = the signer's own nonce, the
    ///         shared deadline).
    /// @param recordId keccak256(abi.encodePacked(createdAt, patient)).
    /// @param patient An active patient.
    /// @param doctor An active doctor (of an approved hospital).
    /// @param contentHash Hash of the content.
    /// @param fieldsRoot Merkle root of the content's FHIR fields (sdk `fieldsRootOf`).
    /// @param storagePointer Where the encrypted content is stored.
    /// @param createdAt Creation time in ms.
    /// @param patientNonce The unordered nonce of the patient (or of the delegate signing for them).
    /// @param doctorNonce The doctor's unordered nonce.
    /// @param deadline Deadline of both signatures in ms.
    /// @param patientSig The patient's (or a co-signing delegate's) 65-byte signature.
    /// @param doctorSig The doctor's 65-byte signature.
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
    ) external;

    /// @notice Writes a new version (previous + 1) of a record; sent by the operator of the doctor's
    ///         hospital, authorized by the patient's (or a co-signing delegate's) and the doctor's
    ///         signatures over EmrUpdate with that version. Earlier versions stay readable (`versionOf`).
    /// @param recordId An existing, not deleted record.
    /// @param doctor An active doctor (of an approved hospital).
    /// @param contentHash Hash of the new content.
    /// @param fieldsRoot Merkle root of the new content's FHIR fields.
    /// @param storagePointer Where the new encrypted content is stored.
    /// @param reasonHash Hash of the off-chain reason for the change.
    /// @param patientNonce The unordered nonce of the patient (or of the delegate signing for them).
    /// @param doctorNonce The doctor's unordered nonce.
    /// @param deadline Deadline of both signatures in ms.
    /// @param patientSig The patient's (or a co-signing delegate's) 65-byte signature.
    /// @param doctorSig The doctor's 65-byte signature.
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
    ) external;

    /// @notice Tombstones a record; sent by any relayer, authorized by the patient's (or a co-signing
    ///         delegate's) signature over EmrDeletion. The storage pointers are no longer served; hashes,
    ///         the fact and the reason stay.
    /// @param recordId An existing, not deleted record.
    /// @param reasonHash Hash of the off-chain reason.
    /// @param nonce The signer's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param patientSig The patient's (or a co-signing delegate's) 65-byte signature.
    function deleteRecord(
        bytes32 recordId,
        bytes32 reasonHash,
        uint256 nonce,
        uint256 deadline,
        bytes memory patientSig
    ) external;

    /// @notice Sets, once, the PatientDelegation contract consulted for co-signing delegates; owner only.
    /// @param delegation The PatientDelegation contract.
    function setDelegation(address delegation) external;

    /// @notice A record's latest version (all zero for an unknown id; see `exists`). `hospital` is the
    ///         hospital that wrote the record; `doctor`, `contentHash`, `storagePointer` and `writtenAt`
    ///         are the latest version's; `storagePointer` is empty once deleted.
    /// @param recordId The record id.
    /// @return patient The patient.
    /// @return doctor The doctor of the latest version.
    /// @return hospital The hospital that wrote the record.
    /// @return contentHash Hash of the latest content.
    /// @return storagePointer Where the latest encrypted content is stored ("" once deleted).
    /// @return createdAt Creation time in ms.
    /// @return version The latest version.
    /// @return writtenAt Block time (ms) of the latest version.
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

    /// @notice One version of a record (all zero for an unknown id or version).
    /// @param recordId The record id.
    /// @param version 1 .. the latest version.
    /// @return doctor The doctor who signed this version.
    /// @return contentHash Hash of this version's content.
    /// @return fieldsRoot Merkle root of this version's FHIR fields.
    /// @return storagePointer Where this version's content is stored ("" once the record is deleted).
    /// @return reasonHash Hash of the reason for the change (zero for version 1).
    /// @return writtenAt Block time (ms) of this version.
    function versionOf(bytes32 recordId, uint256 version)
        external
        view
        returns (
            address doctor,
            bytes32 contentHash,
            bytes32 fieldsRoot,
            string memory storagePointer,
            bytes32 reasonHash,
            uint256 writtenAt
        );

    /// @notice Whether one FHIR field is part of a record version: the disclosure check anyone can run.
    /// @dev The leaf is keccak256(abi.encode(pathHash, valueHash)); the proof is walked with sorted-pair
    ///      keccak256 up to the version's fieldsRoot (sdk `fieldProofOf` builds it). Still answers after the
    ///      record's deletion, because the version's hashes are kept.
    /// @param recordId The record id.
    /// @param version The version whose fieldsRoot is checked (1 .. the latest).
    /// @param pathHash keccak256 of the field's RFC 6901 JSON pointer (UTF-8).
    /// @param valueHash keccak256 of the field value's canonical JSON (UTF-8), e.g. keccak256('"J06.9"').
    /// @param proof Sibling hashes from the leaf up to the root.
    /// @return valid True when the proof leads to the version's fieldsRoot; false for an unknown record or
    ///         version.
    function verifyField(
        bytes32 recordId,
        uint256 version,
        bytes32 pathHash,
        bytes32 valueHash,
        bytes32[] calldata proof
    ) external view returns (bool valid);

    /// @notice Whether a record with this id was written.
    /// @param recordId The record id.
    /// @return written True once written (also after deletion).
    function exists(bytes32 recordId) external view returns (bool written);

    /// @notice Whether the record was deleted.
    /// @param recordId The record id.
    /// @return deleted True once deleted.
    function isDeleted(bytes32 recordId) external view returns (bool deleted);

    /// @notice The record's patient.
    /// @param recordId The record id.
    /// @return patient The patient, or address(0) for an unknown id.
    function patientOf(bytes32 recordId) external view returns (address patient);

    /// @notice The hospital that wrote the record.
    /// @param recordId The record id.
    /// @return hospital The hospital, or address(0) for an unknown id.
    function hospitalOf(bytes32 recordId) external view returns (address hospital);

    /// @notice The alliance registry that decides who is an active patient, doctor and operator.
    /// @return registry The AllianceRegistry address.
    function allianceRegistry() external view returns (address registry);

    /// @notice The PatientDelegation contract consulted for co-signing delegates (zero until set).
    /// @return delegation The PatientDelegation address.
    function delegation() external view returns (address delegation);

    /// @notice The registry's owner (its deployer), who sets the delegation contract.
    /// @return account The owner.
    function owner() external view returns (address account);
}
