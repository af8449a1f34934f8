// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

/// @title ICareAlliance
/// @notice The part of AllianceRegistry that CareProcess and HospitalScore call (declared locally so they
///         do not depend on the registry's full interface).
interface ICareAlliance {
    /// @notice A member's registration.
    /// @param member The member's address.
    /// @return role 1 patient, 2 doctor, 3 hospital (0 none).
    /// @return status 0 none, 1 pending, 2 approved, 3 rejected, 4 revoked.
    /// @return hospital A doctor's hospital (zero otherwise).
    /// @return profileHash Hash of the off-chain profile.
    /// @return operator A hospital's operator account (zero otherwise).
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

    /// @notice Whether `member` is approved in `role` (a doctor also needs an approved hospital).
    /// @param member The member.
    /// @param role The role.
    /// @return active True when active.
    function isActive(address member, uint8 role) external view returns (bool active);

    /// @notice The approved hospital `operator` sends for (zero otherwise).
    /// @param operator A WeBASE account.
    /// @return hospital The hospital, or zero.
    function hospitalOfOperator(address operator) external view returns (address hospital);

    /// @notice A hospital's level (一级 1, 二级 2, 三级 3; 0 = not set).
    /// @param hospital The hospital.
    /// @return level The level.
    function hospitalLevel(address hospital) external view returns (uint8 level);

    /// @notice Whether `account` is an alliance admin.
    /// @param account The account.
    /// @return admin True for an admin.
    function isAdmin(address account) external view returns (bool admin);

    /// @notice Whether `account` may relay signed actions (owner or an approved hospital's operator).
    /// @param account The account.
    /// @return relayer True for a relayer.
    function isRelayer(address account) external view returns (bool relayer);
}
