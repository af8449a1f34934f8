// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ICareProcess} from "./interfaces/ICareProcess.sol";
import {ICareAlliance} from "./interfaces/ICareAlliance.sol";
import {TypedSignatures} from "./base/TypedSignatures.sol";

/// @title CareProcess
/// @notice A visit and its ordered care steps, each signed by its doctor (see ICareProcess).
contract CareProcess is ICareProcess, TypedSignatures {
    uint8 internal constant ROLE_PATIENT = 1;
    uint8 internal constant ROLE_DOCTOR = 2;

    uint8 internal constant STEP_REGISTRATION = 1;
    uint8 internal constant STEP_LAB_TEST = 4;
    uint8 internal constant STEP_PAYMENT = 5;
    uint8 internal constant STEP_ADMISSION = 6;
    uint8 internal constant STEP_DISCHARGE = 7;

    bytes32 internal constant VISIT_OPENING_TYPEHASH =
        keccak256("VisitOpening(bytes32 visitId,address patient,address hospital,uint256 nonce,uint256 deadline)");
    bytes32 internal constant CARE_STEP_TYPEHASH =
        keccak256(
            "CareStep(bytes32 visitId,uint8 step,bytes32 contentHash,bool continues,uint256 nonce,uint256 deadline)"
        );

    struct Visit {
        address patient;
        uint8 lastStep;
        bool finished;
        address hospital;
        uint256 openedAt;
        uint256 finishedAt;
    }

    struct Step {
        address doctor;
        bytes32 contentHash;
        uint256 at;
    }

    ICareAlliance private immutable _alliance;
    mapping(bytes32 => Visit) private _visits;
    mapping(bytes32 => mapping(uint8 => Step)) private _steps;

    /// @param alliance The AllianceRegistry deciding membership.
    /// @param chainId The chain id used in the EIP-712 domain.
    constructor(address alliance, uint256 chainId) TypedSignatures("CareProcess", chainId) {
        if (alliance == address(0)) revert CareProcessZeroAddress();
        _alliance = ICareAlliance(alliance);
    }

    /// @inheritdoc ICareProcess
    function openVisit(
        bytes32 visitId,
        address patient,
        uint256 nonce,
        uint256 deadline,
        bytes calldata patientSig
    ) external override {
        address hospital = _alliance.hospitalOfOperator(msg.sender);
        if (hospital == address(0)) revert CareProcessNotHospitalOperator(msg.sender, address(0));
        _useSignature(
            patient,
            nonce,
            deadline,
            keccak256(abi.encode(VISIT_OPENING_TYPEHASH, visitId, patient, hospital, nonce, deadline)),
            patientSig
        );
        Visit storage v = _visits[visitId];
        if (v.patient != address(0)) revert CareProcessVisitExists(visitId);
        if (!_alliance.isActive(patient, ROLE_PATIENT)) revert CareProcessPatientNotActive(patient);

        v.patient = patient;
        v.hospital = hospital;
        v.openedAt = block.timestamp;
        emit VisitOpened(visitId, patient, hospital);
    }

    /// @inheritdoc ICareProcess
    function recordStep(
        bytes32 visitId,
        uint8 step,
        address doctor,
        bytes32 contentHash,
        bool continues,
        uint256 nonce,
        uint256 deadline,
        bytes calldata doctorSig
    ) external override {
        if (step < STEP_REGISTRATION || step > STEP_DISCHARGE) revert CareProcessInvalidStep(step);
        if (continues && step != STEP_PAYMENT) revert CareProcessContinuesNotAllowed(step);
        Visit storage v = _visits[visitId];
        address hospital = v.hospital;
        if (hospital == address(0)) revert CareProcessUnknownVisit(visitId);
        if (_alliance.hospitalOfOperator(msg.sender) != hospital) {
            revert CareProcessNotHospitalOperator(msg.sender, hospital);
        }
        _checkDoctor(doctor, hospital);
        _useSignature(
            doctor,
            nonce,
            deadline,
            keccak256(abi.encode(CARE_STEP_TYPEHASH, visitId, step, contentHash, continues, nonce, deadline)),
            doctorSig
        );
        if (v.finished) revert CareProcessVisitFinished(visitId);
        uint8 last = v.lastStep;
        if (!_follows(last, step)) revert CareProcessStepOutOfOrder(visitId, last, step);

        _steps[visitId][step] = Step({doctor: doctor, contentHash: contentHash, at: block.timestamp});
        v.lastStep = step;
        emit StepRecorded(visitId, step, doctor, contentHash);
        if (step == STEP_DISCHARGE || (step == STEP_PAYMENT && !continues)) {
            v.finished = true;
            v.finishedAt = block.timestamp;
            emit VisitFinished(visitId, v.patient, hospital, step);
        }
    }

    /// @inheritdoc ICareProcess
    function visitOf(bytes32 visitId)
        external
        view
        override
        returns (
            address patient,
            address hospital,
            uint8 lastStep,
            bool finished,
            uint256 openedAt,
            uint256 finishedAt
        )
    {
        Visit storage v = _visits[visitId];
        return (v.patient, v.hospital, v.lastStep, v.finished, v.openedAt, v.finishedAt);
    }

    /// @inheritdoc ICareProcess
    function stepOf(bytes32 visitId, uint8 step)
        external
        view
        override
        returns (
            address doctor,
            bytes32 contentHash,
            uint256 at
        )
    {
        Step storage s = _steps[visitId][step];
        return (s.doctor, s.contentHash, s.at);
    }

    /// @inheritdoc ICareProcess
    function allianceRegistry() external view override returns (address registry) {
        return address(_alliance);
    }

    /// @dev Reverts unless `doctor` is an active doctor whose hospital is `hospital`.
    function _checkDoctor(address doctor, address hospital) private view {
        if (!_alliance.isActive(doctor, ROLE_DOCTOR)) revert CareProcessDoctorNotOfHospital(doctor, hospital);
        (, , address doctorHospital, , ) = _alliance.memberOf(doctor);
        if (doctorHospital != hospital) revert CareProcessDoctorNotOfHospital(doctor, hospital);
    }

    /// @dev Whether `step` may follow `last` (0 = none): strictly ascending and every step in between
    ///      optional (4 lab test, 6 admission). Step 1 is never optional, so a visit starts with it.
    function _follows(uint8 last, uint8 step) private pure returns (bool) {
        if (step <= last) return false;
        for (uint8 s = last + 1; s < step; s++) {
            if (s != STEP_LAB_TEST && s != STEP_ADMISSION) return false;
        }
        return true;
    }
}
