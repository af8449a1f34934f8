// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {IResearchAllocation} from "./interfaces/IResearchAllocation.sol";
import {TypedSignatures} from "./base/TypedSignatures.sol";

/// @dev What ResearchAllocation reads from the AllianceRegistry.
interface IAllianceForResearch {
    function isRelayer(address account) external view returns (bool relayer);

    function isAdmin(address account) external view returns (bool admin);

    function isActive(address member, uint8 role) external view returns (bool active);
}

/// @title ResearchAllocation
/// @notice Research projects and their Shapley allocations, for audit (see IResearchAllocation).
contract ResearchAllocation is IResearchAllocation, TypedSignatures {
    uint8 internal constant ROLE_HOSPITAL = 3;

    uint8 internal constant ACTION_CREATE = 1;
    uint8 internal constant ACTION_ADD_MEMBER = 2;
    uint8 internal constant ACTION_COMMIT_INPUTS = 3;
    uint8 internal constant ACTION_ALLOCATE = 4;
    uint8 internal constant ACTION_FINALIZE = 5;

    bytes32 internal constant RESEARCH_ACTION_TYPEHASH =
        keccak256(
            "ResearchAction(bytes32 projectId,uint8 action,address subject,uint256 amount,bytes32 dataHash,uint256 nonce,uint256 deadline)"
        );

    struct Project {
        uint256 total;
        uint256 allocated;
        uint256 memberCount;
        bytes32 inputsHash;
        bool finalized;
    }

    struct Allocation {
        bool member;
        uint256 amount;
    }

    IAllianceForResearch private immutable _alliance;
    mapping(bytes32 => Project) private _projects;
    mapping(bytes32 => mapping(address => Allocation)) private _allocations;

    /// @param alliance The AllianceRegistry deciding admins, relayers and hospitals.
    /// @param chainId The chain id used in the EIP-712 domain.
    constructor(address alliance, uint256 chainId) TypedSignatures("ResearchAllocation", chainId) {
        if (alliance == address(0)) revert ResearchAllocationZeroAddress();
        _alliance = IAllianceForResearch(alliance);
    }

    /// @inheritdoc IResearchAllocation
    function createProject(
        bytes32 projectId,
        uint256 total,
        bytes32 descriptionHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override {
        _authorize(projectId, ACTION_CREATE, address(0), total, descriptionHash, nonce, deadline, adminSig);
        Project storage p = _projects[projectId];
        if (p.total != 0) revert ResearchAllocationProjectExists(projectId);
        if (total == 0) revert ResearchAllocationZeroTotal(projectId);
        p.total = total;
        emit ProjectCreated(projectId, total, descriptionHash);
    }

    /// @inheritdoc IResearchAllocation
    function addMember(
        bytes32 projectId,
        address hospital,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override {
        _authorize(projectId, ACTION_ADD_MEMBER, hospital, 0, bytes32(0), nonce, deadline, adminSig);
        Project storage p = _open(projectId);
        if (!_alliance.isActive(hospital, ROLE_HOSPITAL)) revert ResearchAllocationNotHospital(hospital);
        Allocation storage a = _allocations[projectId][hospital];
        if (a.member) revert ResearchAllocationAlreadyMember(projectId, hospital);
        a.member = true;
        p.memberCount += 1;
        emit ProjectMemberAdded(projectId, hospital);
    }

    /// @inheritdoc IResearchAllocation
    function commitInputs(
        bytes32 projectId,
        bytes32 inputsHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override {
        _authorize(projectId, ACTION_COMMIT_INPUTS, address(0), 0, inputsHash, nonce, deadline, adminSig);
        Project storage p = _open(projectId);
        if (inputsHash == bytes32(0)) revert ResearchAllocationZeroInputs(projectId);
        p.inputsHash = inputsHash;
        emit InputsCommitted(projectId, inputsHash);
    }

    /// @inheritdoc IResearchAllocation
    function allocate(
        bytes32 projectId,
        address hospital,
        uint256 amount,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override {
        _authorize(projectId, ACTION_ALLOCATE, hospital, amount, bytes32(0), nonce, deadline, adminSig);
        Project storage p = _open(projectId);
        if (p.inputsHash == bytes32(0)) revert ResearchAllocationInputsNotCommitted(projectId);
        Allocation storage a = _allocations[projectId][hospital];
        if (!a.member) revert ResearchAllocationNotMember(projectId, hospital);
        p.allocated = p.allocated - a.amount + amount;
        a.amount = amount;
        emit AllocationRecorded(projectId, hospital, amount);
    }

    /// @inheritdoc IResearchAllocation
    function finalize(
        bytes32 projectId,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) external override {
        _authorize(projectId, ACTION_FINALIZE, address(0), 0, bytes32(0), nonce, deadline, adminSig);
        Project storage p = _open(projectId);
        if (p.inputsHash == bytes32(0)) revert ResearchAllocationInputsNotCommitted(projectId);
        if (p.allocated != p.total) revert ResearchAllocationSumMismatch(projectId, p.allocated, p.total);
        p.finalized = true;
        emit ProjectFinalized(projectId, p.total, p.inputsHash);
    }

    /// @inheritdoc IResearchAllocation
    function projectOf(bytes32 projectId)
        external
        view
        override
        returns (uint256 total, uint256 allocated, uint256 memberCount, bytes32 inputsHash, bool finalized)
    {
        Project storage p = _projects[projectId];
        return (p.total, p.allocated, p.memberCount, p.inputsHash, p.finalized);
    }

    /// @inheritdoc IResearchAllocation
    function allocationOf(bytes32 projectId, address hospital)
        external
        view
        override
        returns (bool member, uint256 amount)
    {
        Allocation storage a = _allocations[projectId][hospital];
        return (a.member, a.amount);
    }

    /// @inheritdoc IResearchAllocation
    function allianceRegistry() external view override returns (address registry) {
        return address(_alliance);
    }

    /// @dev Sender is a relayer; the ResearchAction signature is an admin's, in time, with a fresh nonce.
    function _authorize(
        bytes32 projectId,
        uint8 action,
        address subject,
        uint256 amount,
        bytes32 dataHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata adminSig
    ) private {
        if (!_alliance.isRelayer(msg.sender)) revert ResearchAllocationNotRelayer(msg.sender);
        address admin = _recoverSigner(
            deadline,
            keccak256(
                abi.encode(RESEARCH_ACTION_TYPEHASH, projectId, action, subject, amount, dataHash, nonce, deadline)
            ),
            adminSig
        );
        if (!_alliance.isAdmin(admin)) revert ResearchAllocationNotAdmin(admin);
        _useNonce(admin, nonce);
    }

    /// @dev The project, which must exist and not be finalized.
    function _open(bytes32 projectId) private view returns (Project storage p) {
        p = _projects[projectId];
        if (p.total == 0) revert ResearchAllocationUnknownProject(projectId);
        if (p.finalized) revert ResearchAllocationProjectFinalized(projectId);
    }
}
