// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

/// @title FieldMerkle
/// @notice Checks one FHIR field against a record version's `fieldsRoot` (the sdk's `sdk/src/merkle.ts`).
/// @dev leaf = keccak256(abi.encode(pathHash, valueHash)) with pathHash = keccak256(utf8 JSON pointer) and
///      valueHash = keccak256(utf8 canonical JSON of the value); parents hash their two children in
///      ascending order (OpenZeppelin MerkleProof's sorted pairs). The leaf is built here from the two
///      hashes, so a 32-byte inner node can never be presented as a leaf.
library FieldMerkle {
    /// @notice Whether the field (pathHash, valueHash) is under `root` with the sibling list `proof`.
    function verify(
        bytes32 root,
        bytes32 pathHash,
        bytes32 valueHash,
        bytes32[] calldata proof
    ) internal pure returns (bool) {
        bytes32 h = keccak256(abi.encode(pathHash, valueHash));
        for (uint256 i = 0; i < proof.length; i++) {
            bytes32 p = proof[i];
            h = h < p ? keccak256(abi.encodePacked(h, p)) : keccak256(abi.encodePacked(p, h));
        }
        return h == root;
    }
}
