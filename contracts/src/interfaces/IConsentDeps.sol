// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

/// @title IConsentAllianceView
/// @notice The part of AllianceRegistry that PatientDelegation, ConsentManager and EmergencyAccess read.
/// @dev Declared locally so these contracts do not depend on AllianceRegistry's own interface file.
interface IConsentAllianceView {
    /// @notice Whether `account` is the alliance owner or an approved hospital's operator.
    function isRelayer(address account) external view returns (bool relayer);

    /// @notice Whether `account` is an alliance admin.
    function isAdmin(address account) external view returns (bool admin);

    /// @notice The approved hospital `operator` sends for (address(0) if none).
    function hospitalOfOperator(address operator) external view returns (address hospital);

    /// @notice The operator account of `hospital`.
    function operatorOf(address hospital) external view returns (address operator);

    /// @notice Whether `doctor` is active and holds an unrevoked, unexpired certification.
    function isCertified(address doctor) external view returns (bool certified);

    /// @notice Whether `member` is approved in `role` (a doctor's hospital approved too).
    function isActive(address member, uint8 role) external view returns (bool active);

    /// @notice A member's role, status, hospital (doctors), profile hash and operator (hospitals).
    function memberOf(address member)
        external
        view
        returns (
            uint8 role,
            uint8 status,
            address hospital,
            bytes32 profileHash,
            address operator
        );
}

/// @title IConsentEmrView
/// @notice The part of EmrRegistry that ConsentManager and EmergencyAccess read.
interface IConsentEmrView {
    /// @notice The record's patient (address(0) if it was never written).
    function patientOf(bytes32 recordId) external view returns (address patient);

    /// @notice The hospital that wrote the record (address(0) if it was never written).
    function hospitalOf(bytes32 recordId) external view returns (address hospital);

    /// @notice Whether the record was deleted (tombstoned).
    function isDeleted(bytes32 recordId) external view returns (bool deleted);
}

/// @title IConsentDelegationView
/// @notice The part of PatientDelegation that ConsentManager reads.
interface IConsentDelegationView {
    /// @notice Whether `delegate` may act for `patient` in every bit of `scope` right now.
    function isDelegate(
        address patient,
        address delegate,
        uint8 scope
    ) external view returns (bool active);
}
