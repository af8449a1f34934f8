// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

/// @title ITypedSignatures
/// @notice Shared surface of contracts that accept EIP-712 typed signatures with unordered nonces.
/// @dev Deadlines are milliseconds since the epoch: FISCO BCOS sets `block.timestamp` in ms.
interface ITypedSignatures {
    /// @notice The signature's deadline (ms) is earlier than the block time (ms).
    error SignatureExpired(uint256 deadline, uint256 nowMs);
    /// @notice The signer already used this nonce.
    error SignatureNonceUsed(address signer, uint256 nonce);
    /// @notice The signature does not recover to the expected signer (address(0) when unrecoverable).
    error SignatureInvalid(address expectedSigner, address recovered);

    /// @notice Whether `signer` already used `nonce` in a signed action on this contract.
    /// @param signer The signing address.
    /// @param nonce The signer's nonce (any uint256; each usable once).
    /// @return used True once a signed action with this nonce has been accepted.
    function nonceUsed(address signer, uint256 nonce) external view returns (bool used);

    /// @notice The EIP-712 domain separator: name = contract name, version "1", the chainId given at
    ///         deployment and this contract's address.
    /// @return separator The domain separator.
    function domainSeparator() external view returns (bytes32 separator);
}
