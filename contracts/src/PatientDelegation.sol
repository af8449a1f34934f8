// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {IPatientDelegation} from "./interfaces/IPatientDelegation.sol";
import {IConsentAllianceView} from "./interfaces/IConsentDeps.sol";
import {TypedSignatures} from "./base/TypedSignatures.sol";

/// @title PatientDelegation
/// @notice Guardians and family members acting for a patient (see IPatientDelegation).
contract PatientDelegation is IPatientDelegation, TypedSignatures {
    uint8 internal constant ALL_SCOPES = 1 | 2 | 4;

    bytes32 internal constant DELEGATION_TYPEHASH =
        keccak256(
            "Delegation(address patient,address delegate,uint8 scopes,uint256 validFrom,uint256 validUntil,uint256 nonce,uint256 deadline)"
        );
    bytes32 internal constant DELEGATION_REVOCATION_TYPEHASH =
        keccak256("DelegationRevocation(address patient,address delegate,uint256 nonce,uint256 deadline)");

    struct Delegation {
        uint8 scopes;
        bool revoked;
        uint256 validFrom;
        uint256 validUntil;
    }

    IConsentAllianceView private immutable _alliance;
    mapping(address => mapping(address => Delegation)) private _delegations;

    /// @param alliance The AllianceRegistry whose relayers may send.
    /// @param chainId The chain id used in the EIP-712 domain.
    constructor(address alliance, uint256 chainId) TypedSignatures("PatientDelegation", chainId) {
        if (alliance == address(0)) revert PatientDelegationZeroAddress();
        _alliance = IConsentAllianceView(alliance);
    }

    modifier onlyRelayer() {
        if (!_alliance.isRelayer(msg.sender)) revert PatientDelegationNotRelayer(msg.sender);
        _;
    }

    /// @inheritdoc IPatientDelegation
    function delegate(
        address patient,
        address delegate_,
        uint8 scopes,
        uint256 validFrom,
        uint256 validUntil,
        uint256 nonce,
        uint256 deadline,
        bytes calldata patientSig
    ) external override onlyRelayer {
        if (patient == address(0) || delegate_ == address(0)) revert PatientDelegationZeroAddress();
        if (patient == delegate_) revert PatientDelegationSelfDelegation(patient);
        if (scopes == 0 || scopes & ~ALL_SCOPES != 0) revert PatientDelegationInvalidScopes(scopes);
        // solhint-disable-next-line not-rely-on-time
        if (validUntil <= validFrom || validUntil <= block.timestamp) {
            revert PatientDelegationInvalidPeriod(validFrom, validUntil, block.timestamp);
        }
        _useSignature(
            patient,
            nonce,
            deadline,
            keccak256(
                abi.encode(DELEGATION_TYPEHASH, patient, delegate_, scopes, validFrom, validUntil, nonce, deadline)
            ),
            patientSig
        );
        _delegations[patient][delegate_] = Delegation(scopes, false, validFrom, validUntil);
        emit DelegationGranted(patient, delegate_, scopes, validFrom, validUntil);
    }

    /// @inheritdoc IPatientDelegation
    function revokeDelegation(
        address patient,
        address delegate_,
        uint256 nonce,
        uint256 deadline,
        bytes calldata patientSig
    ) external override onlyRelayer {
        Delegation storage d = _delegations[patient][delegate_];
        if (d.scopes == 0) revert PatientDelegationNotFound(patient, delegate_);
        if (d.revoked) revert PatientDelegationAlreadyRevoked(patient, delegate_);
        _useSignature(
            patient,
            nonce,
            deadline,
            keccak256(abi.encode(DELEGATION_REVOCATION_TYPEHASH, patient, delegate_, nonce, deadline)),
            patientSig
        );
        d.revoked = true;
        emit DelegationRevoked(patient, delegate_);
    }

    /// @inheritdoc IPatientDelegation
    function isDelegate(
        address patient,
        address delegate_,
        uint8 scope
    ) external view override returns (bool active) {
        Delegation storage d = _delegations[patient][delegate_];
        // solhint-disable-next-line not-rely-on-time
        uint256 t = block.timestamp;
        return scope != 0 && d.scopes & scope == scope && !d.revoked && d.validFrom <= t && t <= d.validUntil;
    }

    /// @inheritdoc IPatientDelegation
    function delegationOf(address patient, address delegate_)
        external
        view
        override
        returns (
            uint8 scopes,
            uint256 validFrom,
            uint256 validUntil,
            bool revoked
        )
    {
        Delegation storage d = _delegations[patient][delegate_];
        return (d.scopes, d.validFrom, d.validUntil, d.revoked);
    }

    /// @inheritdoc IPatientDelegation
    function allianceRegistry() external view override returns (address registry) {
        return address(_alliance);
    }
}
