// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "./ITypedSignatures.sol";

/// @title ICareProcess
/// @notice A patient's visit to a hospital and its ordered care steps (全流程上链), each signed by the
///         doctor who performed it and sent by the visit hospital's operator.
/// @dev Steps: 1 挂号 registration, 2 取号 ticket, 3 门诊 consultation, 4 化验 lab test (optional),
///      5 缴费拿药 payment and dispensing, 6 住院 admission (optional), 7 出院 discharge.
///      Steps are strictly ascending, step 1 comes first, only 4 and 6 may be skipped. Step 5 finishes the
///      visit unless `continues` (the patient is admitted; 6 and/or 7 follow); step 7 finishes it.
///      EIP-712 (name "CareProcess", version "1"):
///      VisitOpening(bytes32 visitId,address patient,address hospital,uint256 nonce,uint256 deadline)
///      CareStep(bytes32 visitId,uint8 step,bytes32 contentHash,bool continues,uint256 nonce,uint256 deadline)
///      Times and deadlines are ms.
interface ICareProcess is ITypedSignatures {
    /// @notice The sender does not operate the hospital it acts for: in `openVisit` it operates no
    ///         approved hospital (`hospital` = 0); in `recordStep` it is not the operator of the visit's
    ///         approved hospital `hospital`.
    error CareProcessNotHospitalOperator(address sender, address hospital);
    /// @notice A visit with this id was already opened.
    error CareProcessVisitExists(bytes32 visitId);
    /// @notice No visit with this id was opened.
    error CareProcessUnknownVisit(bytes32 visitId);
    /// @notice `patient` is not an active patient of the alliance.
    error CareProcessPatientNotActive(address patient);
    /// @notice `doctor` is not an active doctor of the visit's hospital `hospital`.
    error CareProcessDoctorNotOfHospital(address doctor, address hospital);
    /// @notice `step` is not one of 1..7.
    error CareProcessInvalidStep(uint8 step);
    /// @notice `continues` was set on a step other than 5 (payment and dispensing).
    error CareProcessContinuesNotAllowed(uint8 step);
    /// @notice `step` cannot follow `lastStep` (0 = none yet): not ascending, a mandatory step skipped,
    ///         or a repeated step.
    error CareProcessStepOutOfOrder(bytes32 visitId, uint8 lastStep, uint8 step);
    /// @notice The visit is finished; no step can follow.
    error CareProcessVisitFinished(bytes32 visitId);
    /// @notice The alliance registry address given at deployment is zero.
    error CareProcessZeroAddress();

    /// @notice A visit was opened by the hospital's operator with the patient's signature.
    /// @param visitId keccak256(abi.encodePacked(patient, hospital, openedAtMs)), chosen by the client.
    /// @param patient The patient.
    /// @param hospital The hospital whose operator sent the transaction.
    event VisitOpened(bytes32 indexed visitId, address indexed patient, address indexed hospital);

    /// @notice A care step was recorded with the doctor's signature.
    /// @param visitId The visit.
    /// @param step The step (1..7).
    /// @param doctor The doctor who signed the step.
    /// @param contentHash Hash of the step's content (its EMR entry, prescription, report...).
    event StepRecorded(bytes32 indexed visitId, uint8 indexed step, address indexed doctor, bytes32 contentHash);

    /// @notice The visit finished (step 5 without `continues`, or step 7).
    /// @param visitId The visit.
    /// @param patient The patient.
    /// @param hospital The visit's hospital.
    /// @param lastStep The step that finished it (5 or 7).
    event VisitFinished(bytes32 indexed visitId, address indexed patient, address indexed hospital, uint8 lastStep);

    /// @notice Opens a visit. Sent by the operator of an approved hospital (the visit's hospital), with
    ///         the patient's EIP-712 signature over VisitOpening (hospital = the sender's hospital).
    ///         Checks in this order: sender, signature (deadline, signer, nonce), visit id unused,
    ///         patient active.
    /// @param visitId keccak256(abi.encodePacked(patient, hospital, openedAtMs)), chosen by the client;
    ///        must be unused.
    /// @param patient An active patient.
    /// @param nonce The patient's unordered nonce.
    /// @param deadline Deadline of the signature in ms.
    /// @param patientSig The patient's 65-byte signature.
    function openVisit(
        bytes32 visitId,
        address patient,
        uint256 nonce,
        uint256 deadline,
        bytes calldata patientSig
    ) external;

    /// @notice Records the next care step of a visit. Sent by the operator of the visit's (approved)
    ///         hospital, with the EIP-712 signature of `doctor` (active, of the visit's hospital) over
    ///         CareStep. Checks in this order: step in 1..7 and `continues` only on step 5, visit known,
    ///         sender, doctor, signature (deadline, signer, nonce), visit not finished, step order.
    /// @param visitId The visit.
    /// @param step 1..7, strictly after the last step; only 4 and 6 may be skipped; 1 first.
    /// @param doctor The doctor performing the step.
    /// @param contentHash Hash of the step's content.
    /// @param continues Only on step 5: the patient is admitted and the visit goes on (6, 7).
    /// @param nonce The doctor's unordered nonce.
    /// @param deadline Deadline of the signature in ms.
    /// @param doctorSig The doctor's 65-byte signature.
    function recordStep(
        bytes32 visitId,
        uint8 step,
        address doctor,
        bytes32 contentHash,
        bool continues,
        uint256 nonce,
        uint256 deadline,
        bytes calldata doctorSig
    ) external;

    /// @notice A visit (all zero for an unknown id).
    /// @param visitId The visit.
    /// @return patient The patient (zero if unknown).
    /// @return hospital The visit's hospital.
    /// @return lastStep The last recorded step (0 = none yet).
    /// @return finished Whether the visit is finished.
    /// @return openedAt Block time (ms) of the opening.
    /// @return finishedAt Block time (ms) of the finishing step (0 while open).
    function visitOf(bytes32 visitId)
        external
        view
        returns (
            address patient,
            address hospital,
            uint8 lastStep,
            bool finished,
            uint256 openedAt,
            uint256 finishedAt
        );

    /// @notice A recorded step of a visit (all zero if not recorded).
    /// @param visitId The visit.
    /// @param step The step (1..7).
    /// @return doctor The doctor who signed it.
    /// @return contentHash Hash of its content.
    /// @return at Block time (ms) of the recording.
    function stepOf(bytes32 visitId, uint8 step)
        external
        view
        returns (
            address doctor,
            bytes32 contentHash,
            uint256 at
        );

    /// @notice The alliance registry that decides who is an active patient, doctor and operator.
    /// @return registry The AllianceRegistry address.
    function allianceRegistry() external view returns (address registry);
}
