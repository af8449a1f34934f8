// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "./ITypedSignatures.sol";

/// @title IResearchAllocation
/// @notice A research project's member hospitals, the hash of the characteristic-function inputs and the
///         Shapley allocation computed off chain, recorded for audit (DESIGN §6).
/// @dev Every action is signed by an alliance admin and sent by any relayer. EIP-712 (name
///      "ResearchAllocation", version "1"):
///      ResearchAction(bytes32 projectId,uint8 action,address subject,uint256 amount,bytes32 dataHash,uint256 nonce,uint256 deadline)
///      action 1 create (subject 0, amount = total, dataHash = description hash), 2 add member (subject =
///      hospital, amount 0, dataHash 0), 3 commit inputs (subject 0, amount 0, dataHash = inputs hash),
///      4 allocate (subject = member, amount, dataHash 0), 5 finalize (subject 0, amount 0, dataHash 0).
///      Checks run in this order: relayer, signature (deadline, signer, admin, nonce), then the project's state.
interface IResearchAllocation is ITypedSignatures {
    /// @notice The alliance registry address given at deployment is zero.
    error ResearchAllocationZeroAddress();
    /// @notice The sender is neither the alliance's owner nor an approved hospital's operator.
    error ResearchAllocationNotRelayer(address sender);
    /// @notice The signer is not an alliance admin.
    error ResearchAllocationNotAdmin(address signer);
    /// @notice A project with this id already exists.
    error ResearchAllocationProjectExists(bytes32 projectId);
    /// @notice No project with this id exists.
    error ResearchAllocationUnknownProject(bytes32 projectId);
    /// @notice The total to allocate is zero.
    error ResearchAllocationZeroTotal(bytes32 projectId);
    /// @notice The project is finalized; nothing changes any more.
    error ResearchAllocationProjectFinalized(bytes32 projectId);
    /// @notice `hospital` is not an approved hospital of the alliance.
    error ResearchAllocationNotHospital(address hospital);
    /// @notice `hospital` already is a member of the project.
    error ResearchAllocationAlreadyMember(bytes32 projectId, address hospital);
    /// @notice `hospital` is not a member of the project.
    error ResearchAllocationNotMember(bytes32 projectId, address hospital);
    /// @notice The inputs hash is zero.
    error ResearchAllocationZeroInputs(bytes32 projectId);
    /// @notice The characteristic-function inputs are not committed yet.
    error ResearchAllocationInputsNotCommitted(bytes32 projectId);
    /// @notice At finalization, Σ allocations (`allocated`) differs from the project's `total`.
    error ResearchAllocationSumMismatch(bytes32 projectId, uint256 allocated, uint256 total);

    /// @notice A project was created.
    /// @param projectId The project.
    /// @param total The total to allocate.
    /// @param descriptionHash Hash of the project's description.
    event ProjectCreated(bytes32 indexed projectId, uint256 total, bytes32 descriptionHash);
    /// @notice A hospital joined a project.
    /// @param projectId The project.
    /// @param hospital The approved hospital.
    event ProjectMemberAdded(bytes32 indexed projectId, address indexed hospital);
    /// @notice The characteristic-function inputs' hash was committed (a later commit replaces it).
    /// @param projectId The project.
    /// @param inputsHash Hash of the inputs (v(S) for every coalition S, as the off-chain computation used).
    event InputsCommitted(bytes32 indexed projectId, bytes32 inputsHash);
    /// @notice A member's allocation was recorded (a later one for the same member replaces it).
    /// @param projectId The project.
    /// @param hospital The member.
    /// @param amount The member's Shapley allocation.
    event AllocationRecorded(bytes32 indexed projectId, address indexed hospital, uint256 amount);
    /// @notice A project was finalized with Σ allocations = total.
    /// @param projectId The project.
    /// @param total The total, equal to the sum of the allocations.
    /// @param inputsHash The committed inputs' hash.
    event ProjectFinalized(bytes32 indexed projectId, uint256 total, bytes32 inputsHash);

    /// @notice Creates a project (action 1); any relayer, signed by an admin.
    /// @param projectId A new project id.
    /// @param total The total to allocate (non-zero).
    /// @param descriptionHash Hash of the project's description.
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param adminSig The admin's 65-byte signature over ResearchAction.
    function createProject(
        bytes32 projectId,
        uint256 total,
        bytes32 descriptionHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external;

    /// @notice Adds an approved hospital as a member (action 2); any relayer, signed by an admin.
    /// @param projectId An existing, not finalized project.
    /// @param hospital An approved hospital, not yet a member.
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param adminSig The admin's 65-byte signature over ResearchAction.
    function addMember(
        bytes32 projectId,
        address hospital,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external;

    /// @notice Commits the hash of the characteristic-function inputs (action 3); a later commit before
    ///         finalization replaces it. Any relayer, signed by an admin.
    /// @param projectId An existing, not finalized project.
    /// @param inputsHash The inputs' hash (non-zero).
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param adminSig The admin's 65-byte signature over ResearchAction.
    function commitInputs(
        bytes32 projectId,
        bytes32 inputsHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external;

    /// @notice Records a member's allocation (action 4), replacing an earlier one; needs committed inputs.
    ///         Any relayer, signed by an admin.
    /// @param projectId An existing, not finalized project with committed inputs.
    /// @param hospital A member of the project.
    /// @param amount The member's allocation (may be 0).
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param adminSig The admin's 65-byte signature over ResearchAction.
    function allocate(
        bytes32 projectId,
        address hospital,
        uint256 amount,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external;

    /// @notice Finalizes a project (action 5): inputs committed and Σ allocations exactly equal to the
    ///         total; afterwards nothing changes. Any relayer, signed by an admin.
    /// @param projectId An existing, not finalized project.
    /// @param nonce The admin's unordered nonce.
    /// @param deadline Signature deadline in ms.
    /// @param adminSig The admin's 65-byte signature over ResearchAction.
    function finalize(bytes32 projectId, uint256 nonce, uint256 deadline, bytes calldata adminSig) external;

    /// @notice A project's state (zeros for an unknown id; a project exists iff total ≠ 0).
    /// @param projectId The project.
    /// @return total The total to allocate.
    /// @return allocated Σ of the recorded allocations.
    /// @return memberCount Number of member hospitals.
    /// @return inputsHash The committed inputs' hash (zero before the commit).
    /// @return finalized Whether the project is finalized.
    function projectOf(bytes32 projectId)
        external
        view
        returns (uint256 total, uint256 allocated, uint256 memberCount, bytes32 inputsHash, bool finalized);

    /// @notice A hospital's membership and allocation in a project.
    /// @param projectId The project.
    /// @param hospital The hospital.
    /// @return member Whether the hospital is a member.
    /// @return amount Its recorded allocation.
    function allocationOf(bytes32 projectId, address hospital) external view returns (bool member, uint256 amount);

    /// @notice The alliance registry deciding admins, relayers and hospitals.
    /// @return registry The AllianceRegistry address.
    function allianceRegistry() external view returns (address registry);
}
